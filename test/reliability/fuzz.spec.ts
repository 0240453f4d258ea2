import fc from 'fast-check';
import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { createTestDatabase, TestDatabase } from '../support/database';
import { TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { serviceEnv, ServiceProcess, startService } from '../support/processes';

jest.setTimeout(300_000);
const KEY = 'fuzz-api-key-0123456789abcdef';

const segment = fc.oneof(
  fc.constantFrom(
    't1',
    'task_1',
    'a'.repeat(128),
    'a'.repeat(129),
    '..',
    '.',
    '%2F',
    '%00',
    '%E2%82%AC',
    '%',
    '%ZZ',
    'null',
    '-1',
    ' ',
    '%20',
  ),
  fc.string({ minLength: 0, maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);
const path = fc.oneof(
  fc.tuple(segment).map(([a]) => `/tasks/${a}`),
  fc.tuple(segment).map(([a]) => `/tasks/${a}/drives`),
  fc.tuple(segment, segment).map(([a, b]) => `/tasks/${a}/drives/${b}`),
  fc.tuple(segment).map(([a]) => `/tasks/${a}/failures`),
  fc.tuple(segment).map(([a]) => `/tasks/${a}/history`),
  fc.constantFrom(
    '/tasks',
    '/reports/failures',
    '/reports/tasks',
    '/callbacks/zego',
    '/status',
    '/metrics',
    '/health/live',
    '/health/ready',
    '/docs-json',
    '/dashboard',
    '/',
    '//',
    '/tasks/',
  ),
  fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
);
const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '501',
    '1e3',
    'NaN',
    'hour',
    'week',
    'csv',
    'failed,',
    '2026-02-30',
    '2026-11-01T00:00:00Z',
    '9999-12-31',
  ),
  fc.string({ maxLength: 30 }),
);
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'limit',
        'cursor',
        'status',
        'from',
        'to',
        'interval',
        'format',
        'taskId',
        'sort',
        'x',
        '__proto__',
        'constructor',
      ),
      queryValue,
    ),
    { maxLength: 5 },
  )
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : ''));
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    '{',
    '{"a":',
    '[',
    'null',
    '""',
    '{"__proto__":{"x":1}}',
    '{"AppId":"1","Signature":"x","Nonce":"1","Timestamp":"1"}',
  ),
  fc.string({ maxLength: 200 }),
  // Big bodies, under and just over the 1 MiB limit (far over, a server rightly hangs up mid-upload).
  fc.constantFrom(600_000, 1_000_000, 1_100_000).map((n) => `{"x":"${'y'.repeat(n)}"}`),
  fc.constant(`${'['.repeat(5000)}${']'.repeat(5000)}`),
  // Nesting past the 64 levels allowed, in arrays and objects (100,000 deep was a stack overflow).
  fc.constantFrom(65, 30_000, 100_000).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.constantFrom(65, 20_000).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);
const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constant(`Bearer ${KEY}`),
      fc.constant('Bearer '),
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
    ),
    'x-api-key': fc.oneof(
      fc.constant(KEY),
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
    ),
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/json; charset=latin1',
      '',
    ),
    accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html'),
    'x-request-id': fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  },
  { requiredKeys: [] },
);

describe('property: no request, however odd, gets a 5xx or hangs', () => {
  let db: TestDatabase;
  let sim: ZegoSimulator;
  let service: ServiceProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new ZegoSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET });
    await sim.listen(0);
    service = await startService(
      serviceEnv(db.url, sim.url, {
        ZEGO_CALLBACK_SECRET: 'fuzz-callback-secret',
        API_KEYS: KEY,
        RATE_LIMIT_PER_MINUTE: '0',
      }),
    );
    await service.request('PUT', '/tasks/t1', { headers: { authorization: `Bearer ${KEY}` } });
  });
  afterAll(async () => {
    await service.kill('SIGKILL');
    await sim.close();
    await db.drop();
  });

  it('answers thousands of generated requests with a helpful 4xx or a success', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
        path,
        query,
        headers,
        body,
        async (method, p, q, h, b) => {
          const withBody = b !== undefined && !['GET', 'HEAD'].includes(method);
          const payload = withBody ? (typeof b === 'string' ? b : JSON.stringify(b)) : undefined;
          let res: Response;
          try {
            res = await fetch(service.url + p + q, {
              method,
              headers: Object.fromEntries(Object.entries(h).filter(([k, v]) => v !== '' || k !== 'content-type')),
              body: payload,
              signal: AbortSignal.timeout(10_000),
            });
          } catch (err) {
            // Over the body limit (1 MiB, 64 KiB on the callback route) the server answers 413 at once
            // and may close the connection while the client is still uploading (the 413 itself is
            // checked in test/e2e/api.e2e.spec.ts and test/reliability/request-limits.spec.ts).
            const limit = p.startsWith('/callbacks/') ? 64 * 1024 : 1024 * 1024;
            if (payload && Buffer.byteLength(payload) > limit && (err as Error).name !== 'TimeoutError') return;
            throw err;
          }
          const text = await res.text();
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          if (res.status >= 500) throw new Error(`${method} ${p}${q} → ${res.status}: ${text.slice(0, 300)}`);
          if (res.status >= 400 && method !== 'HEAD') {
            const parsed = JSON.parse(text) as { statusCode: number; error: string; message: string };
            expect(parsed.statusCode).toBe(res.status);
            expect(typeof parsed.message).toBe('string');
            expect(parsed.message.length).toBeGreaterThan(3);
            expect(text).not.toMatch(/\bat .+\.(ts|js):\d+|SELECT |INSERT |prisma/i);
          }
        },
      ),
      { numRuns: 2000, interruptAfterTimeLimit: 240_000 },
    );
    // The run reached the interesting answers, not only 401s.
    expect([...seen.keys()].filter((s) => s >= 200 && s < 300).length).toBeGreaterThan(0);
    expect(seen.get(400) ?? 0).toBeGreaterThan(50);
    expect(seen.get(404) ?? 0).toBeGreaterThan(50);
    expect((await service.request('GET', '/health/live')).status).toBe(200);
  });
});
