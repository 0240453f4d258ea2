import { Harness, startHarness } from '../support/harness';

describe('REST API: shapes, pagination and errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false' } });
  });
  afterAll(() => h.close());

  it('registers a task: 201 the first time, 200 after, with the Task shape', async () => {
    const first = await h.request('PUT', '/tasks/task.A:1-x_y');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      taskId: 'task.A:1-x_y',
      tracking: true,
      source: 'manual',
      createdAt: expect.stringMatching(/Z$/),
      lastSyncedAt: null,
      lastSyncError: null,
      endedAt: null,
      taskStatus: null,
      failReason: null,
      roomId: null,
      streamId: null,
      upstreamCreatedAt: null,
      counts: { queued: 0, playing: 0, failed: 0, finished: 0, unresolved: 0, total: 0 },
    });
    const second = await h.request('PUT', '/tasks/task.A:1-x_y');
    expect(second.status).toBe(200);
    expect(second.body.createdAt).toBe(first.body.createdAt);
    expect((await h.request('GET', '/tasks/task.A:1-x_y')).body).toEqual(second.body);
  });

  it('accepts an id of 128 characters and refuses one of 129', async () => {
    expect((await h.request('PUT', `/tasks/${'a'.repeat(128)}`)).status).toBe(201);
    const long = await h.request('PUT', `/tasks/${'a'.repeat(129)}`);
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/taskId/);
  });

  it('walks every task exactly once through the cursors', async () => {
    const ids = Array.from({ length: 23 }, (_, i) => `walk-${String(i).padStart(2, '0')}`);
    for (const id of ids) await h.request('PUT', `/tasks/${id}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=5&cursor=${encodeURIComponent(cursor)}` : 'limit=5';
      const { status, body } = await h.request('GET', `/tasks?${query}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(5);
      seen.push(...body.items.map((t: { taskId: string }) => t.taskId));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    const walked = seen.filter((id) => id.startsWith('walk-'));
    expect(walked).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('walks every drive exactly once, and filters by status', async () => {
    await h.request('PUT', '/tasks/many');
    await h.db.query(
      `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
       SELECT 'many', 'd' || g, 1 + g % 4, now(), now(), now() FROM generate_series(1, 37) g`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/tasks/many/drives?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const { body } = await h.request('GET', path);
      seen.push(...body.items.map((d: { driveId: string }) => d.driveId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(37);
    expect(new Set(seen).size).toBe(37);
    const failed = (await h.request('GET', '/tasks/many/drives?status=failed&limit=500')).body.items;
    expect(failed.length).toBeGreaterThan(0);
    expect(
      failed.every((d: { status: string; statusCode: number }) => d.status === 'failed' && d.statusCode === 3),
    ).toBe(true);
    const both = (await h.request('GET', '/tasks/many/drives?status=failed,finished&limit=500')).body.items;
    expect(both.length).toBe(failed.length + 9);
  });

  it.each([
    ['GET', '/tasks/bad%20id', 400, /taskId/],
    ['PUT', '/tasks/bad%2Fid', 400, /taskId/],
    ['GET', '/tasks?limit=0', 400, /limit/],
    ['GET', '/tasks?limit=501', 400, /limit/],
    ['GET', '/tasks?limit=2.5', 400, /limit/],
    ['GET', '/tasks?limit=ten', 400, /limit/],
    ['GET', '/tasks?limit=1&limit=2', 400, /limit/],
    ['GET', '/tasks?cursor=not-a-cursor', 400, /cursor/],
    ['GET', '/tasks?colour=blue', 400, /unknown parameter colour/],
    ['GET', '/tasks/task.A:1-x_y/drives?status=done', 400, /status/],
    // A forged drive cursor past the largest bigint must not reach the database as a 500.
    [
      'GET',
      `/tasks/task.A:1-x_y/drives?cursor=${Buffer.from(JSON.stringify({ l: 'drives:task.A:1-x_y', a: '9999999999999999999' })).toString('base64url')}`,
      400,
      /cursor/,
    ],
    ['GET', '/tasks/task.A:1-x_y/drives?status=failed,', 400, /status/],
    ['GET', '/tasks/task.A:1-x_y/drives/bad%21id', 400, /driveId/],
    ['GET', '/tasks/task.A:1-x_y/failures?interval=2m', 400, /interval must be minute, 5m, hour, day or week/],
    ['GET', '/tasks/task.A:1-x_y/failures?taskId=other', 400, /unknown parameter taskId/],
    ['GET', '/tasks/task.A:1-x_y/failures?from=yesterday', 400, /from/],
    ['GET', '/tasks/task.A:1-x_y/failures?from=2026-02-30T00:00:00Z', 400, /from/],
    ['GET', '/tasks/task.A:1-x_y/failures?from=2026-11-02&to=2026-11-01', 400, /earlier/],
    ['GET', '/tasks/task.A:1-x_y/failures?from=2020-01-01&to=2026-01-01&interval=day', 400, /366 days/],
    ['GET', '/tasks/task.A:1-x_y/failures?interval=minute&from=2026-01-01', 400, /48 hours/],
    ['GET', '/tasks/unknown-task', 404, /not tracked/],
    ['GET', '/tasks/unknown-task/drives', 404, /not tracked/],
    ['GET', '/tasks/unknown-task/failures', 404, /not tracked/],
    ['DELETE', '/tasks/unknown-task', 404, /not tracked/],
    ['GET', '/tasks/task.A:1-x_y/drives/unknown-drive', 404, /drive unknown-drive/],
    ['GET', '/nowhere', 404, /nowhere/],
  ])('%s %s → %i with a message that says what is wrong', async (method, path, status, message) => {
    const res = await h.request(method, path);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({
      statusCode: status,
      error: expect.any(String),
      message: expect.stringMatching(message),
    });
  });

  it('refuses a cursor from another list', async () => {
    await h.request('PUT', '/tasks/other');
    const { body } = await h.request('GET', '/tasks?limit=1');
    const res = await h.request('GET', `/tasks/other/drives?cursor=${body.nextCursor}`);
    expect(res.status).toBe(400);
  });

  it('answers malformed JSON with 400 and a body over 1 MiB with 413', async () => {
    const bad = await h.request('PUT', '/tasks/json-test', {
      body: '{"oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const huge = await h.request('PUT', '/tasks/json-test', {
      body: JSON.stringify({ x: 'y'.repeat(1024 * 1024 + 10) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413 });
  });

  it('gives a task the failure report of /reports/failures?taskId=, with its defaults: the last 7 days by hour', async () => {
    const { status, body } = await h.request('GET', '/tasks/task.A:1-x_y/failures');
    expect(status).toBe(200);
    expect(body).toMatchObject({ taskId: 'task.A:1-x_y', interval: 'hour' });
    expect(body.buckets).toHaveLength(7 * 24);
    expect(body.buckets[0]).toEqual({
      start: expect.stringMatching(/T\d\d:00:00\.000Z$/),
      failed: 0,
      finished: 0,
      unresolved: 0,
      failureRate: 0,
    });
    expect(body.totals).toEqual({ failed: 0, finished: 0, unresolved: 0, failureRate: 0 });
    const report = await h.request('GET', `/reports/failures?taskId=task.A:1-x_y&from=${body.from}&to=${body.to}`);
    expect(report.body).toEqual(body);
    const csv = await h.request('GET', '/tasks/task.A:1-x_y/failures?interval=day&format=csv');
    expect(csv.status).toBe(200);
    expect(String(csv.body).split('\r\n')[0]).toBe('start,failed,finished,failureRate,unresolved');
  });
});

describe('REST API with API keys', () => {
  let h: Harness;
  const KEY = 'key-one-0123456789abcdef';
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false', API_KEYS: `${KEY},key-two-0123456789abcdef` } });
  });
  afterAll(() => h.close());

  it('needs a key on every route but /health/*', async () => {
    expect((await h.request('GET', '/tasks')).status).toBe(401);
    expect((await h.request('PUT', '/tasks/x')).status).toBe(401);
    expect(
      (await h.request('GET', '/tasks', { headers: { authorization: 'Bearer wrong-key-0123456789' } })).status,
    ).toBe(401);
    expect((await h.request('GET', '/tasks', { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    expect((await h.request('GET', '/tasks', { headers: { 'x-api-key': 'key-two-0123456789abcdef' } })).status).toBe(
      200,
    );
    expect((await h.request('GET', '/health/live')).status).toBe(200);
    expect((await h.request('GET', '/health/ready')).status).toBe(200);
  });

  it('never echoes a key it was given', async () => {
    const res = await h.request('GET', '/tasks', { headers: { authorization: 'Bearer guessed-key-0123456789' } });
    expect(JSON.stringify(res.body)).not.toContain('guessed-key');
    for (const line of h.logs.lines) expect(line).not.toContain(KEY);
  });
});
