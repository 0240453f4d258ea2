import { Harness, startHarness } from '../support/harness';

const READ_KEY = 'conditional-read-key-0123456789';
const WRITE_KEY = 'conditional-write-key-0123456789';
const METRICS_KEY = 'conditional-metrics-key-012345';

/**
 * ETag and If-None-Match on the task and its drive page: a poller that sends back the tag it was
 * given is answered 304 while nothing it would see has changed, and gets the new answer (with a new
 * tag) as soon as anything on it has, whichever path wrote it.
 */
describe('conditional reads (ETag, If-None-Match, 304)', () => {
  let h: Harness;
  const as = (key: string, extra: Record<string, string> = {}) => ({
    headers: { authorization: `Bearer ${key}`, ...extra },
  });
  const get = (path: string, ifNoneMatch?: string, key = READ_KEY) =>
    h.request('GET', path, as(key, ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}));

  beforeAll(async () => {
    h = await startHarness({
      env: { SYNC_ENABLED: 'false', API_KEYS: `read:${READ_KEY},write:${WRITE_KEY},metrics:${METRICS_KEY}` },
    });
    await h.request('PUT', '/tasks/etag-task', as(WRITE_KEY));
    await h.db.query(
      `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
       SELECT 'etag-task', 'd' || g, 1 + g % 4, now(), now(), now() FROM generate_series(1, 5) g`,
    );
  });
  afterAll(() => h?.close());

  it('answers 304 without a body for the ETag it gave, and the page for any other', async () => {
    const first = await get('/tasks/etag-task/drives');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.body.items).toHaveLength(5);

    const again = await get('/tasks/etag-task/drives', etag!);
    expect(again.status).toBe(304);
    expect(again.body ?? '').toBe(''); // no body at all
    expect(again.headers.get('etag')).toBe(etag);
    // A list, and the weak form of the same tag, match too (RFC 9110's weak comparison).
    expect((await get('/tasks/etag-task/drives', `"other", W/${etag}`)).status).toBe(304);
    expect((await get('/tasks/etag-task/drives', '*')).status).toBe(304);

    const other = await get('/tasks/etag-task/drives', '"not-this-one"');
    expect(other.status).toBe(200);
    expect(other.body).toEqual(first.body);
    expect(other.headers.get('etag')).toBe(etag);
  });

  it('gives each page its own ETag: one page’s tag never validates another', async () => {
    const all = await get('/tasks/etag-task/drives');
    const one = await get('/tasks/etag-task/drives?limit=1');
    const failed = await get('/tasks/etag-task/drives?status=failed');
    const tags = [all, one, failed].map((r) => r.headers.get('etag'));
    expect(new Set(tags).size).toBe(3);
    const res = await get('/tasks/etag-task/drives?limit=1', tags[0]!);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const next = await get(`/tasks/etag-task/drives?limit=1&cursor=${one.body.nextCursor}`, tags[1]!);
    expect(next.status).toBe(200);
    expect(
      (await get(`/tasks/etag-task/drives?limit=1&cursor=${one.body.nextCursor}`, next.headers.get('etag')!)).status,
    ).toBe(304);
  });

  it('changes the ETag when anything on the page changes, even a drive-only write', async () => {
    const page = async () => {
      const r = await get('/tasks/etag-task/drives');
      return { etag: r.headers.get('etag')!, body: r.body };
    };
    const seen = new Set<string>();
    let before = await page();
    seen.add(before.etag);
    const expectChanged = async (what: string) => {
      const stale = await get('/tasks/etag-task/drives', before.etag);
      expect({ what, status: stale.status }).toEqual({ what, status: 200 });
      const now = await page();
      expect(seen.has(now.etag)).toBe(false);
      seen.add(now.etag);
      before = now;
      return now.body;
    };

    // A drive's own column, written without touching the task row.
    await h.db.query(`UPDATE drive SET unresolved_at = now() WHERE task_id = 'etag-task' AND drive_id = 'd4'`);
    const body = await expectChanged('drive-only write');
    expect(body.items.find((d: { driveId: string }) => d.driveId === 'd4').resolution).toBe('unresolved');

    // The task row (counters, the last poll every listed drive's lastSeenAt follows).
    await h.db.query(`UPDATE task SET last_synced_at = now() + interval '1 minute' WHERE task_id = 'etag-task'`);
    await expectChanged('task row');

    // A new drive, through the API.
    const registered = await h.request('POST', '/tasks/etag-task/drives', {
      ...as(WRITE_KEY),
      body: { driveId: 'd-new', type: 'text' },
    });
    expect(registered.status).toBe(201);
    expect((await expectChanged('new drive')).items.map((d: { driveId: string }) => d.driveId)).toContain('d-new');

    // The drive after the last one on a page decides its nextCursor: adding it changes that page.
    const one = await get('/tasks/etag-task/drives?limit=6');
    expect(one.body.nextCursor).toBeNull();
    await h.db.query(
      `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
       VALUES ('etag-task', 'd-later', 1, now(), now(), now())`,
    );
    const after = await get('/tasks/etag-task/drives?limit=6', one.headers.get('etag')!);
    expect(after.status).toBe(200);
    expect(after.body.nextCursor).not.toBeNull();
  });

  it('sends a rendered page again only while none of its rows changed (the page cache)', async () => {
    await h.request('PUT', '/tasks/cache-task', as(WRITE_KEY));
    await h.db.query(
      `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
       SELECT 'cache-task', 'c' || g, 2, now(), now(), now() FROM generate_series(1, 3) g`,
    );
    const cacheCounts = async () => {
      const text = (await h.request('GET', '/metrics', as(METRICS_KEY))).text;
      const count = (result: string) =>
        Number(new RegExp(`^drive_status_page_cache_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      return { hit: count('hit'), stale: count('stale') };
    };
    const first = await get('/tasks/cache-task/drives');
    const before = await cacheCounts();
    const again = await get('/tasks/cache-task/drives');
    expect(again.text).toBe(first.text); // byte for byte
    expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await cacheCounts()).hit).toBe(before.hit + 1);

    // Each kind of write, then an unconditional read: it shows the write, never the kept page.
    const writes: Array<[string, string, (body: { items: Array<Record<string, unknown>> }) => unknown]> = [
      [
        'a drive row',
        `UPDATE drive SET status = 4, ended_at = now() WHERE task_id = 'cache-task' AND drive_id = 'c2'`,
        (b) => b.items[1].status,
      ],
      [
        'the task row',
        `UPDATE task SET finished = finished + 7 WHERE task_id = 'cache-task'`,
        (b) => (b as unknown as { counts: { finished: number } }).counts.finished,
      ],
      [
        'a new drive',
        `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
         VALUES ('cache-task', 'c4', 3, now(), now(), now())`,
        (b) => b.items.length,
      ],
      ['a deleted drive', `DELETE FROM drive WHERE task_id = 'cache-task' AND drive_id = 'c1'`, (b) => b.items.length],
    ];
    const seen: unknown[] = [];
    for (const [what, statement, look] of writes) {
      await get('/tasks/cache-task/drives'); // kept (or checked) before the write
      const kept = await get('/tasks/cache-task/drives');
      const stale = (await cacheCounts()).stale;
      await h.db.query(statement);
      const now = await get('/tasks/cache-task/drives');
      expect({
        what,
        changed: now.text !== kept.text,
        etag: now.headers.get('etag') !== kept.headers.get('etag'),
      }).toEqual({ what, changed: true, etag: true });
      expect((await cacheCounts()).stale).toBe(stale + 1);
      seen.push(look(now.body));
    }
    expect(seen).toEqual(['finished', 7, 4, 3]);
  });

  it('does the same for the task answer', async () => {
    const first = await get('/tasks/etag-task');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await get('/tasks/etag-task', etag);
    expect(again.status).toBe(304);
    expect(again.body ?? '').toBe(''); // no body at all
    await h.db.query(`UPDATE task SET room_id = 'room-2' WHERE task_id = 'etag-task'`);
    const changed = await get('/tasks/etag-task', etag);
    expect(changed.status).toBe(200);
    expect(changed.body.roomId).toBe('room-2');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('asks for a key of the read scope before anything, with or without If-None-Match', async () => {
    const etag = (await get('/tasks/etag-task/drives')).headers.get('etag')!;
    for (const path of ['/tasks/etag-task/drives', '/tasks/etag-task']) {
      const none = await h.request('GET', path, { headers: { 'if-none-match': etag } });
      expect(none.status).toBe(401);
      const wrong = await h.request('GET', path, as('not-a-key-0123456789', { 'if-none-match': etag }));
      expect(wrong.status).toBe(401);
      const small = await get(path, etag, METRICS_KEY);
      expect(small.status).toBe(403);
      expect(small.body.message).toMatch(/read scope/);
    }
  });

  it('keeps the 404 and the 400s of the unconditional read', async () => {
    for (const tag of [undefined, '"x"', '*']) {
      const missing = await get('/tasks/no-such-task/drives', tag);
      expect(missing.status).toBe(404);
      expect(missing.body.message).toMatch(/not tracked/);
      expect((await get('/tasks/no-such-task', tag)).status).toBe(404);
      const bad = await get('/tasks/etag-task/drives?status=done', tag);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/status must be one or more of/);
      expect((await get('/tasks/etag-task/drives?limit=0', tag)).body.message).toBe(
        'limit must be a whole number from 1 to 500',
      );
      expect((await get('/tasks/etag-task/drives?bogus=1', tag)).body.message).toBe('unknown parameter bogus');
      expect((await get('/tasks/bad%21id/drives', tag)).body.message).toMatch(/^taskId must be 1-128 characters/);
    }
  });
});
