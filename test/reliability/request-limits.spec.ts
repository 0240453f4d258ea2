import { driveCallback } from '../support/callbacks';
import { Harness, startHarness } from '../support/harness';

/** Limits a hostile client cannot talk its way around. */
const KEYS = ['limits-key-one-0000000001', 'limits-key-two-0000000002'];

describe('per-client rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '5', API_KEYS: KEYS.join(',') } });
  });
  afterAll(() => h.close());
  const get = (key?: string) => h.request('GET', '/tasks', { headers: key ? { 'x-api-key': key } : {} });

  it('does not give a fresh quota to every invented key: they share their address’s', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await get(`invented-key-${i}-000000000000`)).status);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    // No key at all: the same address, the same spent quota.
    expect((await get()).status).toBe(429);
  });

  it('gives each configured key its own quota, whichever header carries it', async () => {
    for (let i = 0; i < 5; i++) expect((await get(KEYS[0])).status).toBe(200);
    expect((await h.request('GET', '/tasks', { headers: { authorization: `Bearer ${KEYS[0]}` } })).status).toBe(429);
    expect((await get(KEYS[1])).status).toBe(200);
  });
});

/** Shapes no client needs, sent to make the service fall over: each is a 4xx that says what is wrong. */
describe('hostile shapes', () => {
  const KEY = 'hostile-shapes-key-000000001';
  const SECRET = 'hostile-shapes-callback-secret';
  const auth = { authorization: `Bearer ${KEY}` };
  let h: Harness;
  let webhookId: string;
  beforeAll(async () => {
    h = await startHarness({
      env: { SYNC_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '0', API_KEYS: KEY, ZEGO_CALLBACK_SECRET: SECRET },
    });
    for (const taskId of ['hostile-a', 'hostile-b']) {
      expect((await h.request('PUT', `/tasks/${taskId}`, { headers: auth })).status).toBeLessThan(300);
    }
    for (const [driveId, status] of [
      ['d1', 1],
      ['d2', 2],
    ] as const) {
      const res = await h.request('POST', '/callbacks/zego', {
        body: driveCallback(SECRET, 'hostile-a', driveId, status),
      });
      expect(res.status).toBe(200);
    }
    const webhook = await h.request('POST', '/webhooks', {
      headers: auth,
      body: { url: 'https://hooks.example.invalid/drive-status' },
    });
    expect(webhook.status).toBe(201);
    webhookId = webhook.body.id;
    const [rule] = await h.db.query<{ id: string }>(
      `INSERT INTO alert_rule (id, kind, enabled) VALUES (gen_random_uuid(), 'sync_lag', false) RETURNING id`,
    );
    await h.db.query(
      `INSERT INTO alert (id, rule_id, scope_key, open, value, threshold, resolved_at)
       SELECT gen_random_uuid(), $1, s, NULL, 1, 1, now() FROM unnest(ARRAY['a', 'b']) AS s`,
      [rule.id],
    );
  });
  afterAll(() => h.close());

  describe('cursors', () => {
    const cursor = (list: string, after: unknown) =>
      Buffer.from(JSON.stringify({ l: list, a: after })).toString('base64url');
    const now = Date.now();
    const uuid = '0b6c2f4e-8d1a-4c3b-9e7f-5a2d1c0b9e8f';
    const bigintKeys = ['-1', '9223372036854775808', '1e3', '', '-'.repeat(36), '0x10', ' 1'];
    // Each list with a key of the right form (proof that the list's name is right) and keys that are not.
    const lists = () => [
      { path: '/tasks', list: 'tasks', valid: 'hostile-a', hostile: ['a'.repeat(129), 'x\u0000', 'a/b', ''] },
      { path: '/tasks/hostile-a/drives', list: 'drives:hostile-a', valid: '1', hostile: bigintKeys },
      {
        path: '/tasks/hostile-a/history',
        list: 'history:hostile-a',
        valid: `${now}:1`,
        hostile: [
          '-'.repeat(36),
          `${now}:9223372036854775808`,
          '99999999999999999:1',
          `${Date.UTC(10000, 0, 1)}:1`,
          `${now}:1:2`,
          ':',
          `-5:1`,
        ],
      },
      {
        path: '/alerts',
        list: 'alerts:all',
        valid: `${now}|${uuid}`,
        hostile: [
          `${now}|${'-'.repeat(36)}`, // the issue's: 36 dashes have a UUID's length
          `${now}|${'0'.repeat(36)}`,
          `${now}|${uuid.toUpperCase().replace(/-/g, 'G')}`,
          `999999999999999|${uuid}`,
          `${now}|${uuid}|x`,
          `|${uuid}`,
          `${now}`,
        ],
      },
      {
        path: `/webhooks/${webhookId}/deliveries`,
        list: `webhook-attempts:${webhookId}`,
        valid: '1',
        hostile: bigintKeys,
      },
    ];

    it('takes a well-formed cursor on every list (the lists’ names are right)', async () => {
      for (const l of lists()) {
        const res = await h.request('GET', `${l.path}?cursor=${cursor(l.list, l.valid)}`, { headers: auth });
        expect([l.path, res.status]).toEqual([l.path, 200]);
      }
    });

    it('answers 400 naming the cursor to a forged key on every list, never a 500', async () => {
      const wrong: unknown[] = [];
      for (const l of lists()) {
        for (const key of l.hostile) {
          const res = await h.request('GET', `${l.path}?cursor=${cursor(l.list, key)}`, { headers: auth });
          if (res.status !== 400 || !/cursor/.test(res.body.message)) wrong.push([l.path, key, res.status]);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('answers 400 to garbage as a cursor on every route that takes one', async () => {
      const doc = (await h.request('GET', '/docs-json', { headers: auth })).body as {
        paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
      };
      const routes = Object.entries(doc.paths)
        .filter(([, ops]) => ops.get?.parameters?.some((p) => p.name === 'cursor' && p.in === 'query'))
        .map(([path]) => path.replace('{taskId}', 'hostile-a').replace('{id}', webhookId));
      expect(routes.length).toBeGreaterThanOrEqual(5);
      const garbage = [
        '-'.repeat(36),
        cursor('another-list', '1'),
        Buffer.from('[]').toString('base64url'),
        Buffer.from('null').toString('base64url'),
        Buffer.from('{"l":"tasks","a":5}').toString('base64url'),
        Buffer.from(`${'['.repeat(150)}${']'.repeat(150)}`).toString('base64url'),
      ];
      for (const path of routes) {
        for (const c of garbage) {
          const res = await h.request('GET', `${path}?cursor=${encodeURIComponent(c)}`, { headers: auth });
          expect([path, c, res.status]).toEqual([path, c, 400]);
          expect(res.body.message).toMatch(/cursor/);
        }
      }
    });
  });

  describe('JSON nesting', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const routes = [
      ['PUT', '/tasks/hostile-deep'],
      ['POST', '/alert-rules'],
      ['POST', '/webhooks'],
      ['POST', '/silences'],
      ['POST', '/callbacks/zego'],
    ];

    it.each([100_000, 65])(
      'refuses a body nested %i deep with 400 on every route, before validation',
      async (depth) => {
        const wrong: unknown[] = [];
        for (const [method, path] of routes) {
          // (Under the callback route's 64 KiB.)
          const d = path === '/callbacks/zego' ? Math.min(depth, 30_000) : depth;
          for (const [shape, body] of [
            ['array', nested(d)],
            ['object', `{"description":${nested(d - 1)}}`],
          ]) {
            const res = await h.request(method, path, {
              headers: { ...auth, 'content-type': 'application/json' },
              body,
            });
            if (res.body?.message !== 'the JSON body is nested deeper than 64 levels')
              wrong.push([path, shape, res.status]);
          }
        }
        expect(wrong).toEqual([]);
        expect((await h.request('GET', '/health/live')).status).toBe(200);
      },
    );

    it('parses a body 64 deep, and does not count brackets inside strings', async () => {
      const res = await h.request('POST', '/alert-rules', {
        headers: { ...auth, 'content-type': 'application/json' },
        body: `{"description":${nested(63)}}`,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).not.toMatch(/nested/);
      const callback = { ...driveCallback(SECRET, 'hostile-b', 'd-strings', 1), Extra: '['.repeat(10_000) };
      expect((await h.request('POST', '/callbacks/zego', { body: callback })).body).toEqual({
        received: true,
        outcome: 'recorded',
      });
    });
  });

  describe('body limits', () => {
    const padded = (size: number) => {
      const event = { ...driveCallback(SECRET, 'hostile-b', `d-${size}`, 1), Extra: '' };
      event.Extra = 'x'.repeat(size - Buffer.byteLength(JSON.stringify(event)));
      return event;
    };

    it('takes a callback of up to 64 KiB and refuses a larger one with 413 saying so', async () => {
      const fits = padded(64 * 1024);
      expect(Buffer.byteLength(JSON.stringify(fits))).toBe(64 * 1024);
      expect((await h.request('POST', '/callbacks/zego', { body: fits })).body).toMatchObject({ received: true });
      const over = padded(64 * 1024 + 1);
      const res = await h.request('POST', '/callbacks/zego', { body: over });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'the request body is larger than 64 KiB, the most this route accepts',
      });
      expect((await h.request('GET', '/tasks/hostile-b/drives/d-65537', { headers: auth })).status).toBe(404);
    });

    it('keeps the 1 MiB limit on the other routes', async () => {
      const body = { url: 'https://hooks.example.invalid/x', description: 'y'.repeat(200_000) };
      const res = await h.request('POST', '/webhooks', { headers: auth, body });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/description/);
      const huge = await h.request('POST', '/webhooks', {
        headers: auth,
        body: { description: 'y'.repeat(1024 * 1024) },
      });
      expect(huge.status).toBe(413);
      expect(huge.body.message).toBe('the request body is larger than 1 MiB, the most this route accepts');
    });
  });
});
