import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { registeredRoutes } from '../../src/app/create-app';
import { signedCallback } from '../support/callbacks';
import { eventually, Harness, startHarness, TEST_SERVER_SECRET } from '../support/harness';

const KEY = 'operability-key-0123456789abcdef';
const CALLBACK_SECRET = 'operability-callback-secret';
const auth = { authorization: `Bearer ${KEY}` };

describe('operability: OpenAPI, metrics, health, logs, headers', () => {
  let h: Harness;
  let spec: any;
  beforeAll(async () => {
    h = await startHarness({
      env: { API_KEYS: KEY, ZEGO_CALLBACK_SECRET: CALLBACK_SECRET, RATE_LIMIT_PER_MINUTE: '0' },
    });
    spec = (await h.request('GET', '/docs-json', { headers: auth })).body;
  });
  afterAll(() => h.close());

  it('documents every route the application registers, with both auth schemes', () => {
    const routes = registeredRoutes.get(h.app) ?? [];
    expect(routes.length).toBeGreaterThan(10);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, unknown>>(spec.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const missing = routes
      .filter((r) => !['HEAD', 'OPTIONS'].includes(r.method))
      .filter((r) => !r.url.startsWith('/docs') && !r.url.startsWith('/dashboard'))
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`)
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    expect(Object.keys(spec.components.securitySchemes).sort()).toEqual(['apiKey', 'bearer']);
    // Both schemes for the whole document: an operation that needs a key inherits them, one open to
    // all says so with an empty list.
    expect(spec.security).toEqual(expect.arrayContaining([{ bearer: [] }, { apiKey: [] }]));
    expect(spec.paths['/tasks/{taskId}/drives'].get.security).toBeUndefined();
    expect(spec.paths['/health/live'].get.security).toEqual([]);
    expect(spec.paths['/callbacks/zego'].post.security).toEqual([]);
    expect(spec.paths['/tasks/{taskId}/drives'].get.responses['400']).toBeDefined();
    expect(spec.paths['/tasks/{taskId}/drives'].get.responses['404']).toBeDefined();
  });

  it('answers, on real requests, exactly what the spec says', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...spec, $id: 'spec' });
    const check = async (
      method: string,
      path: string,
      template: string,
      init: { body?: unknown; headers?: Record<string, string> } = {},
    ) => {
      const res = await h.request(method, path, { ...init, headers: { ...auth, ...init.headers } });
      const op = spec.paths[template]?.[method.toLowerCase()];
      expect(op).toBeDefined();
      const response = op.responses[String(res.status)];
      if (!response) throw new Error(`${method} ${path} answered ${res.status}, which the spec does not list`);
      const schema = response.content?.['application/json']?.schema;
      if (schema) {
        const validate = ajv.compile(resolveRef(schema));
        if (!validate(res.body))
          throw new Error(
            `${method} ${path} (${res.status}) does not match the spec: ${ajv.errorsText(validate.errors)}`,
          );
      }
      return res;
    };
    const resolveRef = (schema: any) =>
      schema.$ref
        ? { $ref: `spec${schema.$ref}` }
        : JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#/g, '"$ref":"spec#'));

    const sim = h.simulator.engine;
    const task = sim.createTask({ RoomId: 'r', StreamId: 's' });
    await check('PUT', `/tasks/${task.taskId}`, '/tasks/{taskId}');
    await check('PUT', `/tasks/${task.taskId}`, '/tasks/{taskId}');
    await new Promise((r) => setTimeout(r, 100));
    const drive = sim.drive(task.taskId, 'text');
    await eventually(
      async () =>
        (await h.request('GET', `/tasks/${task.taskId}/drives/${drive.driveId}`, { headers: auth })).status === 200,
    );
    await eventually(
      async () =>
        (await h.request('GET', `/tasks/${task.taskId}`, { headers: auth })).body.counts.finished +
          (await h.request('GET', `/tasks/${task.taskId}`, { headers: auth })).body.counts.failed >
        0,
    );
    await check('GET', `/tasks/${task.taskId}`, '/tasks/{taskId}');
    await check('GET', '/tasks?limit=1', '/tasks');
    await check('GET', `/tasks/${task.taskId}/drives`, '/tasks/{taskId}/drives');
    await check('GET', `/tasks/${task.taskId}/drives/${drive.driveId}`, '/tasks/{taskId}/drives/{driveId}');
    await check('GET', `/tasks/${task.taskId}/failures`, '/tasks/{taskId}/failures');
    await check('GET', `/tasks/${task.taskId}/history`, '/tasks/{taskId}/history');
    await check('GET', '/reports/failures?interval=day', '/reports/failures');
    await check('GET', `/reports/failures?taskId=${task.taskId}`, '/reports/failures');
    await check('GET', '/reports/tasks', '/reports/tasks');
    await check('GET', '/status', '/status');
    await check('GET', '/health/live', '/health/live');
    await check('GET', '/tasks?limit=0', '/tasks');
    await check('GET', '/tasks/nope', '/tasks/{taskId}');
    await check('GET', '/tasks/nope', '/tasks/{taskId}', {
      headers: { authorization: 'Bearer wrong-key-000000000000' },
    });
    await check('DELETE', '/tasks/nope', '/tasks/{taskId}');
    const cb = signedCallback(
      CALLBACK_SECRET,
      { EventType: 4, TaskId: task.taskId, Detail: { DriveId: drive.driveId, Status: 4 } },
      { nonce: '1' },
    );
    await check('POST', '/callbacks/zego', '/callbacks/zego', { body: cb });
    await check('POST', '/callbacks/zego', '/callbacks/zego', { body: { ...cb, Signature: 'x' } });
    await check('DELETE', `/tasks/${task.taskId}`, '/tasks/{taskId}');
  });

  it('exposes the promised Prometheus metrics, behind the API key', async () => {
    // Some of everything to count: a poll, a drive page, an accepted and a refused callback.
    const task = h.simulator.engine.createTask();
    await h.request('PUT', `/tasks/${task.taskId}`, { headers: auth });
    await eventually(
      async () => (await h.request('GET', `/tasks/${task.taskId}`, { headers: auth })).body.lastSyncedAt,
    );
    await h.request('GET', `/tasks/${task.taskId}/drives`, { headers: auth });
    const cb = signedCallback(
      CALLBACK_SECRET,
      { EventType: 4, TaskId: task.taskId, Detail: { DriveId: 'metrics-drive', Status: 1 } },
      { nonce: '7' },
    );
    expect((await h.request('POST', '/callbacks/zego', { body: cb })).status).toBe(200);
    expect((await h.request('POST', '/callbacks/zego', { body: { ...cb, Signature: 'nope' } })).status).toBe(401);

    expect((await h.request('GET', '/metrics')).status).toBe(401);
    const res = await fetch(`${h.baseUrl}/metrics`, { headers: auth });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      'zego_upstream_calls_total{action="GetDriveStatus",code="0"}',
      'zego_upstream_latency_seconds_bucket',
      'zego_rate_limiter_wait_seconds_bucket',
      'drive_status_sync_lag_seconds',
      'drive_status_tracked_tasks',
      'drive_status_drives{status="queued"}',
      'drive_status_callbacks_total{result="accepted",reason="recorded"}',
      'drive_status_callbacks_total{result="rejected",reason="bad_signature"}',
      'http_requests_total{route="/tasks/:taskId/drives",method="GET",status="200"}',
    ]) {
      expect(text).toContain(name);
    }
  });

  it("is ready when this replica's own dependencies are, naming each check (nothing about the upstream)", async () => {
    const res = await h.request('GET', '/health/ready');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.details).sort()).toEqual(['database', 'migrations', 'readReplica']);
  });

  it('echoes a request id and puts it on every log line of that request', async () => {
    const res = await fetch(`${h.baseUrl}/callbacks/zego`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me-123' },
      body: JSON.stringify({ AppId: 1, Nonce: 'n', Timestamp: '1', Signature: 'bad' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('trace-me-123');
    const own = await fetch(`${h.baseUrl}/health/live`);
    expect(own.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await eventually(() =>
      h.logs.entries.some(
        (e) => (e.req as { id?: string } | undefined)?.id === 'trace-me-123' && /callback refused/.test(String(e.msg)),
      ),
    );
    const lines = h.logs.entries.filter((e) => JSON.stringify(e).includes('trace-me-123'));
    expect(lines.length).toBeGreaterThanOrEqual(2); // the warning and the request log
    for (const line of lines) expect((line.req as { id: string }).id).toBe('trace-me-123');
  });

  it('writes one access line per request: method, path without the query string, status', async () => {
    const res = await fetch(`${h.baseUrl}/tasks/no-such-task/drives?limit=5&status=failed`, {
      headers: { ...auth, 'x-request-id': 'access-line-1' },
    });
    expect(res.status).toBe(404);
    const line = await eventually(() =>
      h.logs.entries.find((e) => (e.req as { id?: string } | undefined)?.id === 'access-line-1' && e.res),
    );
    expect(line.req).toEqual({ id: 'access-line-1', method: 'GET', url: '/tasks/no-such-task/drives' });
    expect(line.res).toEqual({ statusCode: 404 });
    expect(line.level).toBe(40); // a 4xx is a warning
    // Liveness probes and metrics scrapes are not logged (they would drown the rest).
    await fetch(`${h.baseUrl}/health/live`, { headers: { 'x-request-id': 'probe-1' } });
    await fetch(`${h.baseUrl}/tasks/no-such-task`, { headers: { ...auth, 'x-request-id': 'after-probe-1' } });
    await eventually(() => h.logs.entries.some((e) => (e.req as { id?: string } | undefined)?.id === 'after-probe-1'));
    expect(h.logs.entries.filter((e) => (e.req as { id?: string } | undefined)?.id === 'probe-1')).toEqual([]);
  });

  it('never logs a key, a secret or an Authorization header', () => {
    const all = h.logs.lines.join('\n');
    for (const secret of [KEY, CALLBACK_SECRET, TEST_SERVER_SECRET]) expect(all).not.toContain(secret);
  });

  it('sends security headers and no stack traces', async () => {
    const res = await fetch(`${h.baseUrl}/tasks/bad%20id`, { headers: auth });
    for (const header of [
      'x-content-type-options',
      'x-frame-options',
      'content-security-policy',
      'strict-transport-security',
      'referrer-policy',
    ]) {
      expect(res.headers.get(header)).toBeTruthy();
    }
    const body = await res.text();
    expect(body).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });

  it('serves Swagger UI', async () => {
    const res = await fetch(`${h.baseUrl}/docs`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger');
  });
});

describe('operability: unhealthy and limited', () => {
  it('reports refused credentials by name in /status, and stays ready', async () => {
    const h = await startHarness({ simulator: { serverSecret: 'the-simulator-knows-another-secret' } });
    try {
      await h.request('PUT', '/tasks/cred-test');
      const res = await eventually(async () => {
        const r = await h.request('GET', '/status');
        return r.body.upstreamCredentialsProblem ? r : undefined;
      });
      expect(res.body.upstreamCredentialsProblem).toMatch(/signature wrong/);
      expect(JSON.stringify(res.body)).not.toContain(TEST_SERVER_SECRET);
      expect((await h.request('GET', '/health/ready')).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('limits each client and says when to come back', async () => {
    const h = await startHarness({ env: { SYNC_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await h.request('GET', '/tasks')).status);
      expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const limited = await h.request('GET', '/tasks');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      // Health checks are never limited.
      expect((await h.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
