import type { ClientRequest } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { describeStatement, describeStatements } from '../database/statement-names';
import { HeadSampler, samplerFromEnv } from './sampling';
import { traceIncomingRequests } from './server-spans';
import { markTracingStarted } from './spans';

/**
 * The OpenTelemetry SDK. main.ts imports this file only when OTEL_EXPORTER_OTLP_ENDPOINT is set,
 * and before any module it instruments (http, pg, undici) is loaded: the instrumentations patch
 * modules as they are required. The HTTP instrumentation traces outgoing calls (ZEGO); each
 * incoming request's server span is made by server-spans.ts (measured: the instrumentation's cost
 * half a short request's CPU) and named after its route (create-app.ts), so Nest's own
 * instrumentation (two more spans per request) is left out. The SDK reads the standard OTEL_*
 * variables itself (protocol, headers, resource attributes, batch sizes); the sampler they name is
 * built in sampling.ts, and asked before any work is done for a request.
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

export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing {
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
  const sdk = new NodeSDK({
    serviceName: namedByResource ? undefined : env.OTEL_SERVICE_NAME || 'drive-status',
    sampler,
    instrumentations: [
      new HttpInstrumentation({
        disableIncomingRequestInstrumentation: true,
        redactedQueryParams: REDACTED_QUERY_PARAMS,
      }),
      // Statements run outside any traced operation (lease heartbeats, gauges) make no spans.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true, requestHook: nameStatement }),
      new UndiciInstrumentation({ requestHook: keepOriginOnly }),
    ],
  });
  describeStatements();
  sdk.start();
  traceIncomingRequests((req) =>
    UNTRACED_PATHS.has((req.url ?? '').split('?')[0]) ? undefined : sampler.parentOf(req),
  );
  markTracingStarted();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * A statement of the service's own is named in its span instead of written out (`db.query.text`
 * holds a comment with its name, or the names of several sent together): statement-names.ts.
 * Other queries (Prisma's) keep their text.
 */
function nameStatement(span: Span, info: { query: { text: string } }): void {
  const described = describeStatement(info.query.text);
  if (described) span.setAttribute('db.query.text', described);
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
