import type { ClientRequest } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { Client } from 'pg';
import { describeStatements } from '../database/statement-names';
import { HeadSampler, samplerFromEnv } from './sampling';
import { traceIncomingRequests } from './server-spans';
import { markTracingStarted } from './spans';
import { traceStatements } from './statement-spans';
import { WorkerSpanProcessor } from './worker-span-processor';

/**
 * The OpenTelemetry SDK. main.ts imports this file only when OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * and before the modules it instruments (http, undici) are loaded: the instrumentations patch
 * modules as they are required. The HTTP instrumentation traces outgoing calls (ZEGO); each
 * incoming request's server span is made by server-spans.ts (measured: the instrumentation's cost
 * half a short request's CPU) and named after its route (create-app.ts), so Nest's own
 * instrumentation (two more spans per request) is left out. Database statements are traced by
 * statement-spans.ts, spans exported from a worker thread (worker-span-processor.ts): both in place
 * of the SDK's parts for what they cost a request, measured in docs/performance.md. The SDK reads
 * the standard OTEL_* variables itself (protocol, headers, resource attributes, batch sizes); the
 * sampler they name is built in sampling.ts, and asked before any work is done for a request.
 */

/** Probes and scrapes: frequent, and of no interest as traces. */
const UNTRACED_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** Signed ZEGO calls carry their signature in the query string: never put it in a span. */
const REDACTED_QUERY_PARAMS = ['Signature', 'SignatureNonce', 'sig', 'X-Amz-Signature', 'X-Amz-Credential'];

/** Share of new traces sampled when OTEL_TRACES_SAMPLER is not set. */
export const DEFAULT_SAMPLE_RATIO = 0.1;

export interface Tracing {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

export function startTracing(env: NodeJS.ProcessEnv = process.env, warn?: (message: string) => void): Tracing {
  // Metrics stay with Prometheus (/metrics) and logs with stdout unless asked for explicitly.
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  // One trace in ten unless told otherwise (a caller's sampled traceparent is always followed):
  // tracing every request costs far more than 10 % of a short request (docs/operations.md, Cost).
  if (!env.OTEL_TRACES_SAMPLER) {
    env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
    env.OTEL_TRACES_SAMPLER_ARG ??= String(DEFAULT_SAMPLE_RATIO);
  }
  const sampler = new HeadSampler(samplerFromEnv(env));
  const namedByResource = /(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  // OTLP (the default exporter) runs in a worker thread: worker-span-processor.ts says why. Any
  // other OTEL_TRACES_EXPORTER (console, zipkin, none, a list) is left to the SDK.
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'null');
  const inWorker = exporters.length === 0 || (exporters.length === 1 && exporters[0] === 'otlp');
  const sdk = new NodeSDK({
    serviceName: namedByResource ? undefined : env.OTEL_SERVICE_NAME || 'drive-status',
    sampler,
    spanProcessors: inWorker ? [new WorkerSpanProcessor(warn)] : undefined,
    instrumentations: [
      new HttpInstrumentation({
        disableIncomingRequestInstrumentation: true,
        redactedQueryParams: REDACTED_QUERY_PARAMS,
      }),
      new UndiciInstrumentation({ requestHook: keepOriginOnly }),
    ],
  });
  describeStatements();
  sdk.start();
  // Statements run outside any traced operation (lease heartbeats, gauges) make no spans.
  traceStatements(Client);
  traceIncomingRequests((req) =>
    UNTRACED_PATHS.has((req.url ?? '').split('?')[0]) ? undefined : sampler.parentOf(req),
  );
  markTracingStarted();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * fetch() is used for webhook deliveries, whose URLs may hold a token in the path or the query
 * (a Slack or Teams URL is itself the credential): the span keeps only the scheme, host and port.
 */
function keepOriginOnly(span: Span, request: { origin: string } | ClientRequest): void {
  const origin = 'origin' in request ? String(request.origin) : '';
  let safe = '';
  try {
    safe = new URL(origin).origin;
  } catch {
    /* left empty */
  }
  span.setAttributes({ 'url.full': `${safe}/[redacted]`, 'url.path': '/[redacted]', 'url.query': '' });
}
