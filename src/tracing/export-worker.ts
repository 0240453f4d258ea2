import { parentPort } from 'node:worker_threads';
import { createTraceState, diag, DiagLogLevel, type SpanContext } from '@opentelemetry/api';
import { getStringFromEnv } from '@opentelemetry/core';
import { resources, tracing } from '@opentelemetry/sdk-node';
import type { FromWorker, SpanRecord, ToWorker } from './worker-span-processor';

/**
 * The span export worker (started by worker-span-processor.ts): the SDK's batch span processor and
 * the OTLP exporter, fed with the spans the service's thread has finished. Both read the standard
 * variables as they would on the main thread: OTEL_EXPORTER_OTLP_* (endpoint, headers, protocol,
 * timeout, compression), OTEL_BSP_* (delay, queue and batch sizes, export timeout).
 */

const port = parentPort;
if (!port) throw new Error('export-worker.ts runs as a worker thread');

// An export that fails is said on stderr once in a while (the SDK says it through diag).
let lastSaid = 0;
diag.setLogger(
  {
    error: (message: string) => {
      if (Date.now() - lastSaid < 60_000) return;
      lastSaid = Date.now();
      process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: `spans: ${reasonOf(message)}` })}\n`);
    },
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  },
  DiagLogLevel.ERROR,
);

/** The SDK hands over an exception as JSON (stack and all): its message says enough, once a minute. */
function reasonOf(message: string): string {
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    if (typeof parsed?.message === 'string') return `export failed: ${parsed.message} (said at most once a minute)`;
  } catch {
    /* not JSON: as it came */
  }
  return message;
}

function exporterFromEnv(): tracing.SpanExporter {
  const protocol =
    getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL');
  /* eslint-disable @typescript-eslint/no-require-imports -- only the protocol in use is loaded */
  switch (protocol) {
    case 'grpc':
      return new (
        require('@opentelemetry/exporter-trace-otlp-grpc') as typeof import('@opentelemetry/exporter-trace-otlp-grpc')
      ).OTLPTraceExporter();
    case 'http/json':
      return new (
        require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')
      ).OTLPTraceExporter();
    default:
      return new (
        require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto')
      ).OTLPTraceExporter();
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

// Delay, queue and batch sizes and export timeout: OTEL_BSP_*, read by the processor itself.
const processor = new tracing.BatchSpanProcessor(exporterFromEnv());

/** One Resource per distinct set of attributes (in practice one): the exporter groups spans by it. */
const resourceCache = new Map<string, resources.Resource>();

/** A record back into the shape the SDK's processor and the OTLP serialisers read. */
export function toReadable(r: SpanRecord, resource: resources.Resource): tracing.ReadableSpan {
  const context: SpanContext = {
    traceId: r.traceId,
    spanId: r.spanId,
    traceFlags: r.traceFlags,
    traceState: r.traceState ? createTraceState(r.traceState) : undefined,
  };
  return {
    name: r.name,
    kind: r.kind,
    spanContext: () => context,
    parentSpanContext: r.parentSpanId
      ? { traceId: r.traceId, spanId: r.parentSpanId, traceFlags: r.traceFlags, isRemote: r.parentIsRemote }
      : undefined,
    startTime: r.startTime,
    endTime: r.endTime,
    duration: r.duration,
    ended: true,
    status: r.status,
    attributes: r.attributes,
    events: r.events,
    links: r.links.map((l) => ({
      context: {
        traceId: l.traceId,
        spanId: l.spanId,
        traceFlags: l.traceFlags,
        isRemote: l.isRemote,
        traceState: l.traceState ? createTraceState(l.traceState) : undefined,
      },
      attributes: l.attributes,
      droppedAttributesCount: l.droppedAttributesCount,
    })),
    resource,
    // The exporter groups spans by the scope's name, version and schema URL, not by the object.
    instrumentationScope: r.scope,
    droppedAttributesCount: r.droppedAttributesCount,
    droppedEventsCount: r.droppedEventsCount,
    droppedLinksCount: r.droppedLinksCount,
  };
}

function resourceOf(given: { attributes: Record<string, unknown>; schemaUrl?: string }): resources.Resource {
  const key = JSON.stringify(given);
  let resource = resourceCache.get(key);
  if (!resource) {
    resource = resources.resourceFromAttributes(given.attributes as never, { schemaUrl: given.schemaUrl });
    resourceCache.set(key, resource);
  }
  return resource;
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'spans') {
    const resource = resourceOf(message.resource);
    for (const record of message.spans) processor.onEnd(toReadable(record, resource));
    return;
  }
  const done = message.type === 'flush' ? processor.forceFlush() : processor.shutdown();
  done.then(
    () => port.postMessage({ type: 'done', id: message.id } satisfies FromWorker),
    (err: Error) => port.postMessage({ type: 'done', id: message.id, error: err.message } satisfies FromWorker),
  );
});
