import { fingerprint } from '../../src/config/api-keys';
import { Harness, startHarness } from '../support/harness';

const KEYS = {
  metrics: 'scrape-key-0123456789abcdef',
  read: 'viewer-key-0123456789abcdef',
  write: 'producer-key-0123456789abcdef',
  admin: 'oncall-key-0123456789abcdef',
  bare: 'legacy-key-0123456789abcdef',
} as const;
type Holder = keyof typeof KEYS;

describe('scoped API keys over HTTP', () => {
  let h: Harness;
  const as = (holder: Holder) => ({ authorization: `Bearer ${KEYS[holder]}` });
  const call = (holder: Holder, method: string, path: string, body?: unknown) =>
    h.request(method, path, { headers: as(holder), body });
  const hook = { url: 'http://127.0.0.1:9/nowhere', description: 'scopes test' };
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

  beforeAll(async () => {
    h = await startHarness({
      env: {
        SYNC_ENABLED: 'false',
        // Loopback webhook URLs are test receivers (the egress policy refuses them otherwise).
        WEBHOOK_ALLOW_PRIVATE: 'true',
        API_KEYS: [
          `metrics:${KEYS.metrics}`,
          `read:${KEYS.read}`,
          `write:${KEYS.write}`,
          `admin:${KEYS.admin}`,
          KEYS.bare,
        ].join(','),
      },
    });
  });
  afterAll(() => h?.close());

  it('a read key reads everything, /metrics included, and changes nothing', async () => {
    for (const path of ['/tasks', '/status', '/metrics', '/alerts', '/alert-rules', '/webhooks', '/silences']) {
      expect([path, (await call('read', 'GET', path)).status]).toEqual([path, 200]);
    }
    const track = await call('read', 'PUT', '/tasks/task-read-1');
    expect(track.status).toBe(403);
    expect(track.body.message).toBe(
      `this route needs a key with the write scope; this key (${fingerprint(KEYS.read)}) has the read scope`,
    );
    const webhook = await call('read', 'POST', '/webhooks', hook);
    expect(webhook.status).toBe(403);
    expect(webhook.body.message).toMatch(/needs a key with the admin scope.*has the read scope/);
    expect((await call('read', 'POST', '/silences', { endsAt: inAnHour(), reason: 'x' })).status).toBe(403);
    // Refused before anything was written.
    expect((await call('admin', 'GET', '/tasks/task-read-1')).status).toBe(404);
    expect((await call('admin', 'GET', '/webhooks')).body.items).toEqual([]);
  });

  it('a write key tracks and registers drives, and cannot touch alerting', async () => {
    expect((await call('write', 'PUT', '/tasks/task-write-1')).status).toBe(201);
    expect((await call('write', 'POST', '/tasks/task-write-1/drives', { driveId: 'drive-write-1' })).status).toBe(201);
    expect((await call('write', 'GET', '/tasks/task-write-1/drives/drive-write-1')).status).toBe(200);
    expect((await call('write', 'DELETE', '/tasks/task-write-1')).status).toBe(204);
    const webhook = await call('write', 'POST', '/webhooks', hook);
    expect(webhook.status).toBe(403);
    expect(webhook.body.message).toMatch(/needs a key with the admin scope.*has the write scope/);
    const rule = await call('write', 'POST', '/alert-rules', { kind: 'consecutive_failures', threshold: 3 });
    expect(rule.status).toBe(403);
    expect((await call('write', 'POST', '/silences', { endsAt: inAnHour(), reason: 'x' })).status).toBe(403);
  });

  it('an admin key, and a bare key (the form before scopes), do everything', async () => {
    for (const holder of ['admin', 'bare'] as const) {
      const task = `task-${holder}-1`;
      expect((await call(holder, 'PUT', `/tasks/${task}`)).status).toBe(201);
      const webhook = await call(holder, 'POST', '/webhooks', hook);
      expect(webhook.status).toBe(201);
      expect((await call(holder, 'POST', `/webhooks/${webhook.body.id}/test`)).status).toBe(202);
      const rule = await call(holder, 'POST', '/alert-rules', {
        kind: 'consecutive_failures',
        threshold: 3,
        webhookIds: [webhook.body.id],
      });
      expect(rule.status).toBe(201);
      expect((await call(holder, 'PATCH', `/alert-rules/${rule.body.id}`, { enabled: false })).status).toBe(200);
      const silence = await call(holder, 'POST', '/silences', { endsAt: inAnHour(), reason: 'maintenance' });
      expect(silence.status).toBe(201);
      expect((await call(holder, 'DELETE', `/silences/${silence.body.id}`)).status).toBe(204);
      expect((await call(holder, 'DELETE', `/alert-rules/${rule.body.id}`)).status).toBe(204);
      expect((await call(holder, 'DELETE', `/webhooks/${webhook.body.id}`)).status).toBe(204);
      expect((await call(holder, 'GET', '/metrics')).status).toBe(200);
    }
  });

  it('a metrics key scrapes /metrics and nothing else', async () => {
    const scrape = await call('metrics', 'GET', '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.body).toContain('# HELP');
    const tasks = await call('metrics', 'GET', '/tasks');
    expect(tasks.status).toBe(403);
    expect(tasks.body.message).toMatch(/needs a key with the read scope.*has the metrics scope/);
    expect((await call('metrics', 'PUT', '/tasks/task-metrics-1')).status).toBe(403);
  });

  it('tells each key its scope and fingerprint (GET /auth/whoami)', async () => {
    for (const [holder, scope] of [
      ['read', 'read'],
      ['write', 'write'],
      ['admin', 'admin'],
      ['bare', 'admin'],
    ] as const) {
      const res = await call(holder, 'GET', '/auth/whoami');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ scope, fingerprint: fingerprint(KEYS[holder]), keysRequired: true });
    }
    expect((await call('metrics', 'GET', '/auth/whoami')).status).toBe(403);
  });

  it('keeps 401 for no key or an unknown one, and public routes public', async () => {
    expect((await h.request('GET', '/tasks')).status).toBe(401);
    expect((await h.request('PUT', '/tasks/x', { headers: { 'x-api-key': 'not-a-key-0123456789ab' } })).status).toBe(
      401,
    );
    expect((await h.request('GET', '/auth/whoami')).status).toBe(401);
    expect((await h.request('GET', '/health/live')).status).toBe(200);
    expect((await h.request('GET', '/dashboard')).status).toBe(200);
  });

  it('names the key on the request log line by scope and fingerprint, never the key', async () => {
    await call('read', 'GET', '/tasks?limit=1');
    await call('write', 'POST', '/webhooks', hook);
    // Newest first: each check looks at the requests just made.
    const lines = h.logs.entries.filter((e) => e.req && e.res).reverse();
    const line = (method: string, url: string) =>
      lines.find((e) => {
        const req = e.req as { method: string; url: string };
        return req.method === method && req.url === url;
      });
    expect(line('GET', '/tasks')?.keyId).toBe(`read:${fingerprint(KEYS.read)}`);
    // A refused request names the key it was refused to.
    expect(line('POST', '/webhooks')).toMatchObject({
      keyId: `write:${fingerprint(KEYS.write)}`,
      res: { statusCode: 403 },
    });
    expect(line('GET', '/health/live')).toBeUndefined(); // not logged at all (probe)
    const all = h.logs.lines.join('\n');
    for (const key of Object.values(KEYS)) expect(all).not.toContain(key);
  });
});
