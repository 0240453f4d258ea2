import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TraceFlags, type Attributes, type HrTime, type SpanKind, type SpanStatus } from '@opentelemetry/api';
import type { resources, tracing } from '@opentelemetry/sdk-node';

/**
 * Spans are exported from a worker thread. Measured (docs/performance.md, thirteenth session): the
 * exporter's serialisation and its HTTP client, run on the service's own thread, cost a short
 * request more than its share of the traced ones. Some of that is the work itself; much is the
 * exporter's client objects going through the same Node HTTP, stream and socket functions as the
 * server's, which V8 then optimises for both kinds and runs less well for either. A worker has
 * its own heap and its own compiled code. This processor copies each sampled span's data into a
 * plain record as it ends and posts them to the worker in batches; the worker runs the SDK's
 * batch processor and OTLP exporter (export-worker.ts), configured by the same OTEL_* variables.
 */

/** A finished span's data, as it crosses to the worker (structured clone: no methods, no classes). */
export interface SpanRecord {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState?: string;
  parentSpanId?: string;
  parentIsRemote?: boolean;
  startTime: HrTime;
  endTime: HrTime;
  duration: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: Array<{ name: string; time: HrTime; attributes?: Attributes; droppedAttributesCount?: number }>;
  links: Array<{
    traceId: string;
    spanId: string;
    traceFlags: number;
    isRemote?: boolean;
    traceState?: string;
    attributes?: Attributes;
    droppedAttributesCount?: number;
  }>;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  scope: { name: string; version?: string; schemaUrl?: string };
}

/** Main thread → worker. */
export type ToWorker =
  | { type: 'spans'; resource: { attributes: Attributes; schemaUrl?: string }; spans: SpanRecord[] }
  | { type: 'flush' | 'shutdown'; id: number };

/** Worker → main thread. */
export type FromWorker = { type: 'done'; id: number; error?: string };

export function toRecord(span: tracing.ReadableSpan): SpanRecord {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext;
  const scope = span.instrumentationScope;
  return {
    name: span.name,
    kind: span.kind,
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    traceFlags: ctx.traceFlags,
    traceState: ctx.traceState?.serialize(),
    parentSpanId: parent?.spanId,
    parentIsRemote: parent?.isRemote,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      traceFlags: l.context.traceFlags,
      isRemote: l.context.isRemote,
      traceState: l.context.traceState?.serialize(),
      attributes: l.attributes,
      droppedAttributesCount: l.droppedAttributesCount,
    })),
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    scope: { name: scope.name, version: scope.version, schemaUrl: scope.schemaUrl },
  };
}

/** Spans are posted when this many are waiting, or every SEND_EVERY_MS. */
const SEND_AT = 128;
const SEND_EVERY_MS = 100;
/** Beyond this many waiting (the worker stuck or gone), new spans are dropped, as the SDK's batch processor does. */
const MAX_WAITING = 2048;
/** Longest a flush or shutdown waits for the worker: the exporter's own timeout is OTEL_BSP_EXPORT_TIMEOUT. */
const SETTLE_TIMEOUT_MS = 35_000;

export class WorkerSpanProcessor implements tracing.SpanProcessor {
  private readonly worker: Worker;
  private waiting: SpanRecord[] = [];
  private resource?: resources.Resource;
  private readonly timer: NodeJS.Timeout;
  private readonly replies = new Map<number, (reply: FromWorker) => void>();
  private nextId = 0;
  /** Posts waiting for their resource's asynchronous attributes (host id): the first only. */
  private readonly posting = new Set<Promise<void>>();
  private stopped = false;
  private failed = false;
  private dropped = 0;
  private droppedSaid = 0;

  constructor(private readonly warn: (message: string) => void = () => undefined) {
    // Built: the worker is the compiled export-worker.js beside this file.
    const script = join(__dirname, 'export-worker.js');
    if (!existsSync(script)) throw new Error(`the span export worker is missing: ${script} (run npm run build)`);
    this.worker = new Worker(script);
    // Neither the worker nor the timer keeps the process alive: shutdown() flushes what matters.
    this.worker.unref();
    this.worker.on('message', (reply: FromWorker) => this.replies.get(reply.id)?.(reply));
    this.worker.on('error', (err: Error) => this.fail(`the span export worker failed: ${err.message}`));
    this.worker.on('exit', (code) => {
      if (!this.stopped) this.fail(`the span export worker exited (code ${code})`);
    });
    this.timer = setInterval(() => this.send(), SEND_EVERY_MS).unref();
  }

  onStart(): void {}

  onEnd(span: tracing.ReadableSpan): void {
    if (this.stopped || this.failed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (span.resource !== this.resource) {
      this.send();
      this.resource = span.resource;
    }
    if (this.waiting.length >= MAX_WAITING) {
      this.dropped++;
      return;
    }
    this.waiting.push(toRecord(span));
    if (this.waiting.length >= SEND_AT) this.send();
  }

  async forceFlush(): Promise<void> {
    await this.settle('flush');
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.settle('shutdown');
    } finally {
      this.stopped = true;
      clearInterval(this.timer);
      await this.worker.terminate();
    }
  }

  /** Posts what is waiting, then asks the worker to export everything it holds and waits for its answer. */
  private async settle(type: 'flush' | 'shutdown'): Promise<void> {
    this.send();
    await Promise.all(this.posting);
    if (this.failed) return;
    const id = this.nextId++;
    const answered = new Promise<FromWorker>((resolve) => this.replies.set(id, resolve));
    this.post({ type, id });
    let timeout: NodeJS.Timeout | undefined;
    const reply = await Promise.race([
      answered,
      new Promise<undefined>((resolve) => (timeout = setTimeout(() => resolve(undefined), SETTLE_TIMEOUT_MS))),
    ]).finally(() => {
      clearTimeout(timeout);
      this.replies.delete(id);
    });
    if (!reply) this.warn(`spans: the export worker did not finish its ${type} within ${SETTLE_TIMEOUT_MS / 1000} s`);
    else if (reply.error) this.warn(`spans: the export worker's ${type} failed: ${reply.error}`);
    if (this.dropped > this.droppedSaid) {
      this.warn(`spans: ${this.dropped - this.droppedSaid} dropped while the export worker was behind`);
      this.droppedSaid = this.dropped;
    }
  }

  private send(): void {
    if (this.waiting.length === 0 || this.failed) return;
    const spans = this.waiting;
    const resource = this.resource!;
    this.waiting = [];
    const post = () =>
      this.post({ type: 'spans', resource: { attributes: resource.attributes, schemaUrl: resource.schemaUrl }, spans });
    if (!resource.asyncAttributesPending || !resource.waitForAsyncAttributes) return post();
    const waited: Promise<void> = resource.waitForAsyncAttributes().then(post, post);
    this.posting.add(waited);
    void waited.finally(() => this.posting.delete(waited));
  }

  private post(message: ToWorker): void {
    if (this.failed) return;
    try {
      this.worker.postMessage(message);
    } catch (err) {
      // A value that cannot be cloned (an attribute no exporter could write either): those spans are dropped.
      if (message.type === 'spans') this.dropped += message.spans.length;
      else throw err;
    }
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.warn(`${message}; spans are no longer exported`);
    for (const resolve of this.replies.values()) resolve({ type: 'done', id: -1, error: message });
  }
}
