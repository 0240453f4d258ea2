import { context, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { describeStatement } from '../database/statement-names';

/**
 * A span for each database statement run inside a traced operation, made by wrapping the `pg`
 * driver's `Client.prototype.query` (every pool's connections, Prisma's through its pg adapter,
 * and the service's own statements go through it).
 *
 * In place of the pg instrumentation, measured (docs/performance.md, thirteenth session): beside
 * its span it records a duration histogram for every traced statement, chains two more promises
 * onto each one, and once any traced operation has taken a connection it listens to every pool's
 * acquire and release for the rest of the process's life, traced or not. Here a statement with no
 * recording span above it (nothing traced, or tracing suppressed for an unsampled request) costs
 * one context lookup; a traced one gets a CLIENT span with the attributes the database conventions
 * ask for, its text named (statement-names.ts) when it is one of the service's own.
 */

type Query = (this: PgClient, ...args: unknown[]) => unknown;
interface PgClient {
  connectionParameters?: { host?: string; port?: number; database?: string };
}

export function traceStatements(Client: { prototype: object }): void {
  const proto = Client.prototype as { query: Query };
  const original = proto.query;
  const tracer = trace.getTracer('drive-status.pg');
  proto.query = function query(this: PgClient) {
    const parent = trace.getSpan(context.active());
    // eslint-disable-next-line prefer-rest-params -- passed on as they came, at no cost
    if (!parent?.isRecording()) return original.apply(this, arguments as unknown as unknown[]);
    // eslint-disable-next-line prefer-rest-params
    const args = Array.prototype.slice.call(arguments) as unknown[];
    const span = startStatementSpan(tracer, this, args[0]);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (this: unknown, err: Error | null, ...rest: unknown[]) => unknown;
      args[last] = function (this: unknown, err: Error | null, ...rest: unknown[]) {
        endStatementSpan(span, err);
        return callback.call(this, err, ...rest);
      };
    }
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (err) {
      endStatementSpan(span, err as Error);
      throw err;
    }
    if (result instanceof Promise) {
      // A branch of its own, which handles the rejection it sees: the caller's promise is untouched.
      result.then(
        () => endStatementSpan(span, null),
        (err: Error) => endStatementSpan(span, err),
      );
    }
    return result;
  };
}

function startStatementSpan(tracer: Tracer, client: PgClient, config: unknown): Span {
  const text = typeof config === 'string' ? config : ((config as { text?: unknown } | null)?.text as string);
  const params = client.connectionParameters ?? {};
  const operation = typeof text === 'string' ? operationOf(text) : undefined;
  const described = typeof text === 'string' ? describeStatement(text) : undefined;
  return tracer.startSpan(
    described?.replace(/\/\* | \*\//g, '') ?? operation ?? 'postgresql',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.namespace': params.database,
        'server.address': params.host,
        'server.port': params.port,
        'db.operation.name': operation,
        // The service's own statements by name (their text may hold values); Prisma's as they are
        // (parameterised, no values).
        'db.query.text': described ?? text,
      },
    },
    context.active(),
  );
}

/** A statement's first keyword, as the conventions' operation name (SELECT, INSERT, BEGIN). */
function operationOf(text: string): string | undefined {
  const match = /^\s*(?:\/\*.*?\*\/\s*)*([A-Za-z]+)/.exec(text);
  return match?.[1].toUpperCase();
}

function endStatementSpan(span: Span, err: Error | null | undefined): void {
  if (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
    span.setAttribute('error.type', typeof code === 'string' ? code : err.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  }
  span.end();
}
