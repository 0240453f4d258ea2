import {
  Attributes,
  context,
  Link,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  Span,
  SpanContext,
  SpanKind,
  SpanOptions,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';

/**
 * The service's own spans, through the OpenTelemetry API only. The SDK (tracing.ts) is loaded
 * solely when tracing is configured; until then every helper here returns at once, so tracing off
 * costs one boolean test per call.
 */
const tracer = trace.getTracer('drive-status');
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
let enabled = false;

/** Called by startTracing once the SDK is registered. */
export function markTracingStarted(): void {
  enabled = true;
}

export function tracingEnabled(): boolean {
  return enabled;
}

export { SpanKind };

/**
 * Runs `work` inside a new span (the active one while it runs), records a thrown error on it and
 * ends it when `work` settles. A `root` span starts from the root context, not the current one:
 * work queued by one request and run for several (a group-commit batch) must not inherit that
 * request's context, whose tracing is suppressed when it was not sampled.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  if (!enabled) return work(NOT_RECORDING);
  return tracer.startActiveSpan(name, options, options.root ? ROOT_CONTEXT : context.active(), async (span) => {
    try {
      return await work(span);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      span.recordException(err instanceof Error ? err : message);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * The active span's context when it is sampled, for a later span to link to (undefined when
 * tracing is off, or the current operation is not traced: a link to a trace nobody keeps is noise).
 */
export function activeSpanContext(): SpanContext | undefined {
  if (!enabled) return undefined;
  const context = trace.getActiveSpan()?.spanContext();
  return context && context.traceFlags & TraceFlags.SAMPLED ? context : undefined;
}

/** Links to the given span contexts (those that are set); none when none is. */
export function linksTo(contexts: ReadonlyArray<SpanContext | undefined>): Link[] {
  const links: Link[] = [];
  for (const context of contexts) if (context) links.push({ context });
  return links;
}

/** `fn` bound to the active context, for work that a queue runs later (from another call's context). */
export function bindToActive<F extends (...args: never[]) => unknown>(fn: F): F {
  return enabled ? context.bind(context.active(), fn) : fn;
}

/** Each traced request's server span, by its raw request (nothing is added to the request). */
const serverSpans = new WeakMap<object, Span>();

/** Called by server-spans.ts when a traced request arrives. */
export function rememberServerSpan(req: object, span: Span): void {
  serverSpans.set(req, span);
}

/** Names the request's server span after the route pattern (it starts with the method alone). */
export function nameServerSpan(req: object, method: string, route: string | undefined): void {
  if (!enabled || !route) return;
  const span = serverSpans.get(req);
  if (!span) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}

/**
 * The trace fields of a request's access log line, when it is traced and the line is written
 * outside its context (the mixin adds them to lines written inside: the two never both do).
 */
export function requestLogTraceFields(req: object): Record<string, string> {
  if (!enabled || trace.getActiveSpan()) return {};
  const span = serverSpans.get(req);
  return span ? fieldsOf(span) : {};
}

/** Sets attributes on a span (a no-op span when tracing is off). */
export function annotate(span: Span, attributes: Attributes): void {
  if (enabled) span.setAttributes(attributes);
}

/** The trace and span ids a log line written now should carry (none outside a traced operation). */
export function logTraceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  return span ? fieldsOf(span) : {};
}

function fieldsOf(span: Span): Record<string, string> {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
}
