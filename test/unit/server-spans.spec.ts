import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { endServerSpan, requestAttributes } from '../../src/tracing/server-spans';

function request(url: string, headers: Record<string, string> = {}, encrypted = false): IncomingMessage {
  return {
    method: 'GET',
    url,
    httpVersion: '1.1',
    headers,
    socket: { remoteAddress: '127.0.0.1', encrypted },
  } as unknown as IncomingMessage;
}

/** A span that records what is done to it (the SDK's own is tested by its authors). */
function recordingSpan() {
  const attributes: Record<string, unknown> = {};
  const state: { status?: { code: SpanStatusCode; message?: string }; ended: boolean } = { ended: false };
  const span = {
    setAttribute: (k: string, v: unknown) => ((attributes[k] = v), span),
    setStatus: (s: { code: SpanStatusCode; message?: string }) => ((state.status = s), span),
    end: () => (state.ended = true),
  };
  return { span: span as unknown as Span, attributes, state };
}

describe('server spans (the attributes a traced request gets)', () => {
  it('the path without its query string (a cursor or a filter is the caller’s business), method, protocol, client', () => {
    expect(requestAttributes(request('/tasks/t-1/drives?cursor=abc&limit=5', { 'user-agent': 'curl/8' }))).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'url.path': '/tasks/t-1/drives',
      'network.protocol.version': '1.1',
      'client.address': '127.0.0.1',
      'user_agent.original': 'curl/8',
    });
  });

  it('server address and port from the Host header, IPv6 included; none when it is missing', () => {
    expect(requestAttributes(request('/', { host: 'drive-status:3000' }))).toMatchObject({
      'server.address': 'drive-status',
      'server.port': 3000,
    });
    expect(requestAttributes(request('/', { host: '[::1]:8080' }))).toMatchObject({
      'server.address': '[::1]',
      'server.port': 8080,
    });
    const bare = requestAttributes(request('/', { host: 'example.org' }));
    expect(bare['server.address']).toBe('example.org');
    expect(bare).not.toHaveProperty('server.port');
    expect(requestAttributes(request('/'))).not.toHaveProperty('server.address');
    expect(requestAttributes(request('/', {}, true))['url.scheme']).toBe('https');
  });

  it('ends with the status code; a 5xx or a connection closed before the answer is an error, a 4xx is not', () => {
    const ok = recordingSpan();
    endServerSpan(ok.span, { statusCode: 404, writableFinished: true } as ServerResponse);
    expect(ok.attributes['http.response.status_code']).toBe(404);
    expect(ok.state).toEqual({ ended: true });

    const failed = recordingSpan();
    endServerSpan(failed.span, { statusCode: 503, writableFinished: true } as ServerResponse);
    expect(failed.attributes['error.type']).toBe('503');
    expect(failed.state.status?.code).toBe(SpanStatusCode.ERROR);

    const cut = recordingSpan();
    endServerSpan(cut.span, { statusCode: 200, writableFinished: false } as ServerResponse);
    expect(cut.attributes['error.type']).toBe('connection closed');
    expect(cut.state.status?.code).toBe(SpanStatusCode.ERROR);
    expect(cut.state.ended).toBe(true);
  });
});
