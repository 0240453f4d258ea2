import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Params } from 'nestjs-pino';
import { keyLabel, MATCHED_KEY, WithMatchedKey } from '../common/api-keys';
import { AppConfig } from '../config/app-config';
import { logTraceFields, requestLogTraceFields, tracingEnabled } from '../tracing/spans';

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The caller's X-Request-Id when it is well-formed, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

type RequestWithPath = Pick<IncomingMessage, 'url'> & { originalUrl?: string };

/** Liveness probes and metrics scrapes: frequent, and of no interest in the access log. */
const UNLOGGED_PATHS = new Set(['/health/live', '/metrics']);

/**
 * The path as requested, without the query string (that is the caller's business). Nest's
 * middleware layer, which runs pino-http, cuts `url` down to what its mount point leaves (`/`);
 * the path as requested stays in `originalUrl`.
 */
function requestPath(req: RequestWithPath): string {
  return String(req.originalUrl ?? req.url).split('?')[0];
}

/**
 * Structured JSON logs (pretty in a terminal). Every line written while a request is handled
 * carries its id, which is also echoed in `X-Request-Id`; a well-formed incoming id is reused so a
 * caller can follow its request across services. Credentials in headers are redacted; the request
 * line names the API key used by its scope and fingerprint (`keyId`).
 */
export function loggingOptions(config: AppConfig, stream?: Writable): Params {
  const pretty = !stream && process.stdout.isTTY && config.NODE_ENV !== 'production';
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      // With tracing on, each line written inside a traced operation carries its trace_id and span_id.
      // The access line is written when the response has gone, outside the request's context: it
      // takes them from the request's server span.
      ...(tracingEnabled()
        ? {
            mixin: logTraceFields,
            customSuccessObject: (req: IncomingMessage, _res: ServerResponse, line: object) =>
              Object.assign(line, requestLogTraceFields(req)),
            customErrorObject: (req: IncomingMessage, _res: ServerResponse, _err: Error, line: object) =>
              Object.assign(line, requestLogTraceFields(req)),
          }
        : {}),
      ...(stream ? { stream } : {}),
      ...(pretty
        ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } }
        : {}),
      // Fastify gives each request its id (see create-app.ts); pino-http reuses it.
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? requestId(req),
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
        censor: '[redacted]',
      },
      // The serializers below read the raw request and response themselves; pino-http's wrappers
      // would first copy every header of both (a third of an access line's cost).
      wrapSerializers: false,
      serializers: {
        req: (req: RequestWithPath & { id: string; method: string }) => ({
          id: req.id,
          method: req.method,
          url: requestPath(req),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // The key a request was let in with, as `scope:fingerprint` (never the key): who did what.
      customProps: (req: IncomingMessage) => {
        const key = (req as IncomingMessage & WithMatchedKey)[MATCHED_KEY];
        return key ? { keyId: keyLabel(key) } : {};
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req: IncomingMessage) => UNLOGGED_PATHS.has(requestPath(req)) },
    },
  };
}
