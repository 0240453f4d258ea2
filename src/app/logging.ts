import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The caller's X-Request-Id when it is well-formed, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Structured JSON logs (pretty in a terminal). Every line written while a request is handled
 * carries its id, which is also echoed in `X-Request-Id`; a well-formed incoming id is reused so a
 * caller can follow its request across services. Credentials in headers are redacted.
 */
export function loggingOptions(config: AppConfig, stream?: Writable): Params {
  const pretty = !stream && process.stdout.isTTY && config.NODE_ENV !== 'production';
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      ...(stream ? { stream } : {}),
      ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
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
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // The path only: query strings are the caller's business.
          url: String(req.url).split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
    },
  };
}
