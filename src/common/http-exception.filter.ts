import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/** True for errors that mean "the database cannot be reached right now". */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  const text = `${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`;
  if (
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|the database system is (starting|shutting) up|terminating connection|P1001|P1017|P2024|Transaction API error|Unable to start a transaction/i.test(
      text,
    )
  ) {
    return true;
  }
  return e.cause !== undefined && e.cause !== err && isDatabaseUnavailable(e.cause);
}

function isHealthReport(response: unknown): boolean {
  return typeof response === 'object' && response !== null && 'details' in response && 'status' in response;
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Which limit a body broke: routes have limits of their own (the callback route's is lower). */
function tooLarge(host: ArgumentsHost): string {
  const limit = host.switchToHttp().getRequest<FastifyRequest>().routeOptions?.bodyLimit;
  if (!limit) return 'the request body is too large';
  const size =
    limit % (1024 * 1024) === 0
      ? `${limit / 1024 / 1024} MiB`
      : limit % 1024 === 0
        ? `${limit / 1024} KiB`
        : `${limit} bytes`;
  return `the request body is larger than ${size}, the most this route accepts`;
}

/**
 * Every error leaves as `{ statusCode, error, message }`. HTTP errors keep their status and say
 * what was wrong; an unreachable database is a 503; anything else is a plain 500 that reveals
 * nothing internal (the details go to the log only).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let body: ErrorBody;
    if (exception instanceof HttpException && isHealthReport(exception.getResponse())) {
      // Readiness: the usual error fields, plus every check's state.
      const report = exception.getResponse() as { error?: Record<string, unknown> };
      const failing = Object.keys(report.error ?? {});
      void reply
        .status(exception.getStatus())
        .send({ ...errorBody(exception.getStatus(), `not ready: ${failing.join(', ')}`), ...report });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
      // 413 comes only from Fastify's body limit (Nest wraps it), whose message says not which limit.
      body = errorBody(status, status === 413 ? tooLarge(host) : message);
      if (status === 503) void reply.header('Retry-After', '2');
    } else if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      body = errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the database is unavailable; try again shortly');
      void reply.header('Retry-After', '5');
    } else if (
      typeof (exception as { statusCode?: unknown })?.statusCode === 'number' &&
      (exception as { statusCode: number }).statusCode < 500
    ) {
      // Errors raised by Fastify itself before a handler runs (bad JSON, body too large, ...).
      const e = exception as { statusCode: number; message: string };
      body = errorBody(e.statusCode, e.message);
    } else {
      this.logger.error((exception as Error)?.stack ?? String(exception));
      body = errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
    }
    void reply.status(body.statusCode).send(body);
  }
}
