import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type Attributes,
  context,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { rememberServerSpan } from './spans';

/**
 * The server span of each incoming request, made here rather than by the HTTP instrumentation
 * (which still traces the service's outgoing calls).
 *
 * Measured on the read and callbacks loads (docs/performance.md), the instrumentation's server
 * span cost about half a short request's CPU for each request it traced: it gathers some twenty
 * attributes, and it binds the request and the response to the span's context, replacing the
 * listener methods of both objects with wrappers (which also gives a traced request's objects
 * another shape than an untraced one's, so the code handling every request sees two). Here a
 * traced request gets a span with the attributes the HTTP semantic conventions require of a
 * server span, nothing is added to the request or the response but one 'close' listener, and
 * the span's context is entered around the server's 'request' event. What follows from there
 * keeps it: promises and timers carry their context, and Fastify runs a body's parser and what
 * comes after it in the context the request arrived in (an AsyncResource), so a POST whose body
 * comes later is handled inside its span too (tracing.e2e.spec.ts checks it).
 *
 * `parentOf` decides first (sampling.ts): a request it would not keep runs with tracing
 * suppressed, so nothing beneath it makes a span.
 */
export function traceIncomingRequests(parentOf: (req: IncomingMessage) => Context | undefined): void {
  const server = http.Server.prototype as unknown as { emit: (this: http.Server, ...args: unknown[]) => boolean };
  const original = server.emit;
  const suppressed = suppressTracing(ROOT_CONTEXT);
  const tracer = trace.getTracer('drive-status.http-server');
  server.emit = function emit(this: http.Server, ...args: unknown[]): boolean {
    if (args[0] !== 'request') return original.apply(this, args);
    const req = args[1] as IncomingMessage;
    const res = args[2] as ServerResponse;
    const parent = parentOf(req);
    if (!parent) return context.with(suppressed, () => original.apply(this, args));
    const span = tracer.startSpan(
      req.method ?? 'HTTP',
      { kind: SpanKind.SERVER, attributes: requestAttributes(req) },
      parent,
    );
    rememberServerSpan(req, span);
    res.once('close', () => endServerSpan(span, res));
    return context.with(trace.setSpan(parent, span), () => original.apply(this, args));
  };
}

/** The attributes the HTTP semantic conventions ask of a server span when it starts (the route comes later). */
export function requestAttributes(req: IncomingMessage): Attributes {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const attributes: Attributes = {
    'http.request.method': req.method,
    'url.scheme': (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http',
    'url.path': query < 0 ? url : url.slice(0, query),
    'network.protocol.version': req.httpVersion,
    'client.address': req.socket?.remoteAddress,
    'user_agent.original': req.headers['user-agent'],
  };
  const host = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(req.headers.host ?? '');
  if (host?.[1]) {
    attributes['server.address'] = host[1];
    if (host[2]) attributes['server.port'] = Number(host[2]);
  }
  return attributes;
}

/** Ends a server span when its response is sent (or its connection closes first). */
export function endServerSpan(span: Span, res: ServerResponse): void {
  const status = res.statusCode;
  span.setAttribute('http.response.status_code', status);
  if (!res.writableFinished) {
    span.setAttribute('error.type', 'connection closed');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the connection closed before the response was sent' });
  } else if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
