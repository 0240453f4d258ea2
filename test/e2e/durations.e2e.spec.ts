import { BUCKET_RELATIVE_WIDTH } from '../../src/drives/durations';
import { inconsistencies } from '../support/processes';
import { MaintenanceService } from '../../src/maintenance/maintenance.service';
import { Harness, startHarness } from '../support/harness';
import { driveCallback } from '../support/callbacks';

/**
 * Drive timings known exactly (signed callbacks with chosen EventTimes, sent out of order and some
 * twice) against what the drive views and the duration reports say, the reports checked against
 * percentile_disc over the same durations in SQL.
 */
const CALLBACK_SECRET = 'durations-callback-secret-5c1e';
const KEY = 'durations-api-key-00000000001';
const auth = { authorization: `Bearer ${KEY}` };
const HOUR = 3_600_000;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

interface Planned {
  taskId: string;
  driveId: string;
  queuedAt: number | null;
  playingAt: number;
  endedAt: number | null;
  end: 3 | 4;
}

describe('drive timings and duration reports', () => {
  let h: Harness;
  const rnd = random(20261129);
  const now = Date.now();
  const base = Math.floor((now - 22 * HOUR) / HOUR) * HOUR;
  const drives: Planned[] = [];

  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false', ZEGO_CALLBACK_SECRET: CALLBACK_SECRET, API_KEYS: KEY } });
    // 240 drives over 3 tasks and about 16 hours; waits of 0 ms to 20 min and play times of 1 ms to
    // 40 min, spread evenly on a log scale. Some are still playing; some were first seen playing.
    for (let i = 0; i < 240; i++) {
      const queuedAt = base + i * 4 * 60_000 + Math.floor(rnd() * 60_000);
      const wait = i % 17 === 0 ? 0 : Math.floor(Math.exp(rnd() * Math.log(1_200_000)));
      const play = Math.floor(Math.exp(rnd() * Math.log(2_400_000)));
      drives.push({
        taskId: `dur-task-${i % 3}`,
        driveId: `dur-drive-${i}`,
        queuedAt: i % 23 === 5 ? null : queuedAt,
        playingAt: queuedAt + wait,
        endedAt: i % 19 === 7 ? null : queuedAt + wait + play,
        end: i % 5 === 0 ? 3 : 4,
      });
    }
    const events: Array<[Planned, number, number]> = [];
    for (const d of drives) {
      if (d.queuedAt !== null) events.push([d, 1, d.queuedAt]);
      events.push([d, 2, d.playingAt]);
      // A repeated report of playing, later than the first: it must change nothing.
      if (Number(d.driveId.slice(10)) % 4 === 1) events.push([d, 2, d.playingAt + 700]);
      if (d.endedAt !== null) events.push([d, d.end, d.endedAt]);
    }
    // Shuffled: many drives end before they are known to have started.
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [events[i], events[j]] = [events[j], events[i]];
    }
    for (let i = 0; i < events.length; i += 8) await Promise.all(events.slice(i, i + 8).map((e) => sendEvent(...e)));
    // The hours that are over are folded (as the maintenance job does every minute): the reports
    // below read packed histograms for those and the rows as written for the last two hours.
    await h.app.get(MaintenanceService).run();
    const [{ packed }] = await h.db.query<{ packed: number }>(
      'SELECT count(*)::int AS packed FROM drive_duration_hourly_packed',
    );
    expect(packed).toBeGreaterThan(10);
  }, 120_000);
  afterAll(() => h.close());

  const get = (path: string) => h.request('GET', path, { headers: auth });
  async function sendEvent(d: Planned, status: number, at: number) {
    const res = await h.request('POST', '/callbacks/zego', {
      body: driveCallback(CALLBACK_SECRET, d.taskId, d.driveId, status, at),
    });
    expect(res.status).toBe(200);
  }
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  it('shows each drive’s times and durations', async () => {
    for (const d of drives.filter((_, i) => i % 7 === 0 || i % 23 === 5 || i % 19 === 7)) {
      const view = (await get(`/tasks/${d.taskId}/drives/${d.driveId}`)).body;
      expect(view).toMatchObject({
        queuedAt: iso(d.queuedAt),
        playingAt: iso(d.playingAt),
        endedAt: iso(d.endedAt),
        queueWaitMs: d.queuedAt === null ? null : d.playingAt - d.queuedAt,
        playMs: d.endedAt === null ? null : d.endedAt - d.playingAt,
        status: d.endedAt === null ? 'playing' : d.end === 3 ? 'failed' : 'finished',
      });
    }
    const page = (await get('/tasks/dur-task-0/drives?limit=5')).body;
    expect(page.items[0]).toHaveProperty('playMs');
  });

  /** percentile_disc and max over the given durations, per start of bucket, in SQL. */
  async function exact(values: Array<{ start: number; ms: number }>) {
    const rows = await h.db.query<{ start: string; count: number; p: number[]; max: number }>(
      `SELECT to_char(start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS start, count(*)::int AS count,
              percentile_disc(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms) AS p, max(ms)::int AS max
         FROM unnest($1::timestamptz[], $2::int[]) AS v(start, ms) GROUP BY 1 ORDER BY 1`,
      [values.map((v) => new Date(v.start)), values.map((v) => v.ms)],
    );
    return new Map(rows.map((r) => [r.start, r]));
  }

  function expectClose(
    got: { count: number; p50: number; p90: number; p95: number; p99: number; max: number },
    want: { count: number; p: number[]; max: number },
  ) {
    expect(got.count).toBe(want.count);
    const close = (value: number, exactValue: number) =>
      expect(Math.abs(value - exactValue)).toBeLessThanOrEqual(Math.max(1, exactValue * BUCKET_RELATIVE_WIDTH));
    [got.p50, got.p90, got.p95, got.p99].forEach((v, i) => close(v, Number(want.p[i])));
    close(got.max, want.max);
  }

  it('reports play-time percentiles per hour within the bucket width of the exact ones', async () => {
    const ended = drives.filter((d) => d.endedAt !== null);
    const from = new Date(base - HOUR).toISOString();
    const to = new Date(now + HOUR).toISOString();
    const res = await get(`/reports/durations?metric=play&interval=hour&from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({ metric: 'play', interval: 'hour' });
    expect(report.buckets.length).toBe((Date.parse(report.to) - Date.parse(report.from)) / HOUR);
    const want = await exact(
      ended.map((d) => ({ start: Math.floor(d.endedAt! / HOUR) * HOUR, ms: d.endedAt! - d.playingAt })),
    );
    let nonEmpty = 0;
    for (const b of report.buckets) {
      const w = want.get(b.start);
      if (!w) {
        expect(b).toEqual({ start: b.start, count: 0, p50: null, p90: null, p95: null, p99: null, max: null });
        continue;
      }
      nonEmpty += 1;
      expectClose(b, w);
    }
    expect(nonEmpty).toBe(want.size);
    const [total] = (await exact(ended.map((d) => ({ start: 0, ms: d.endedAt! - d.playingAt })))).values();
    expectClose(report.totals, total);
  });

  it('reports one task’s queue waits per day, and as CSV', async () => {
    const mine = drives.filter((d) => d.taskId === 'dur-task-1' && d.queuedAt !== null);
    const from = new Date(base - 2 * 86_400_000).toISOString();
    const query = `metric=queue_wait&interval=day&taskId=dur-task-1&from=${from}`;
    const report = (await get(`/reports/durations?${query}`)).body;
    expect(report.taskId).toBe('dur-task-1');
    const day = 86_400_000;
    const want = await exact(
      mine.map((d) => ({ start: Math.floor(d.playingAt / day) * day, ms: d.playingAt - d.queuedAt! })),
    );
    for (const b of report.buckets) if (want.has(b.start)) expectClose(b, want.get(b.start)!);
    expect(report.buckets.filter((b: any) => b.count > 0).length).toBe(want.size);
    const [total] = (await exact(mine.map((d) => ({ start: 0, ms: d.playingAt - d.queuedAt! })))).values();
    expectClose(report.totals, total);

    const csv = await get(`/reports/durations?${query}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('start,count,p50,p90,p95,p99,max');
    expect(lines.length).toBe(report.buckets.length + 1);
    expect(lines.some((l) => /^[^,]+,0,,,,,$/.test(l))).toBe(true); // an empty day: count 0, no values
  });

  it('ranks tasks by their p95 play time', async () => {
    const from = new Date(base - HOUR).toISOString();
    const res = await get(`/reports/tasks?from=${from}&sort=p95PlayMs`);
    expect(res.status).toBe(200);
    const items = res.body.items;
    expect(items.map((i: any) => i.taskId).sort()).toEqual(['dur-task-0', 'dur-task-1', 'dur-task-2']);
    for (let i = 1; i < items.length; i++) expect(items[i - 1].p95PlayMs).toBeGreaterThanOrEqual(items[i].p95PlayMs);
    for (const item of items) {
      const mine = drives.filter((d) => d.taskId === item.taskId && d.endedAt !== null);
      const [w] = (await exact(mine.map((d) => ({ start: 0, ms: d.endedAt! - d.playingAt })))).values();
      expect(Math.abs(item.p95PlayMs - Number(w.p[2]))).toBeLessThanOrEqual(Number(w.p[2]) * BUCKET_RELATIVE_WIDTH);
      expect(item.failed + item.finished).toBe(mine.length);
    }
    const byFailures = (await get(`/reports/tasks?from=${from}`)).body.items;
    expect(byFailures[0]).toEqual(
      expect.objectContaining({ p95PlayMs: expect.any(Number), p95QueueWaitMs: expect.any(Number) }),
    );
  });

  it('keeps the histograms in step with the drives, also when a late event changes a folded hour', async () => {
    expect(await inconsistencies((sql) => h.db.query(sql))).toEqual([]);
    // An earlier report of playing for a drive that ended 20 hours ago: its play time moves.
    const d = drives.find(
      (x) => x.endedAt !== null && x.endedAt < now - 18 * HOUR && x.playingAt - 30_000 > (x.queuedAt ?? 0),
    )!;
    const played = `/reports/durations?metric=play&from=${new Date(base - HOUR).toISOString()}&to=${new Date(now + HOUR).toISOString()}`;
    const before = (await get(played)).body.totals.count;
    await sendEvent(d, 2, d.playingAt - 30_000);
    d.playingAt -= 30_000;
    expect((await get(`/tasks/${d.taskId}/drives/${d.driveId}`)).body.playMs).toBe(d.endedAt! - d.playingAt);
    expect((await get(played)).body.totals.count).toBe(before);
    expect(await inconsistencies((sql) => h.db.query(sql))).toEqual([]);
    await h.app.get(MaintenanceService).run();
    expect(await inconsistencies((sql) => h.db.query(sql))).toEqual([]);
    const [{ rows }] = await h.db.query<{ rows: number }>(
      `SELECT count(*)::int AS rows FROM drive_duration_hourly_packed WHERE hour = $1 AND metric = 2`,
      [new Date(Math.floor(d.endedAt! / HOUR) * HOUR)],
    );
    expect(rows).toBe(2); // the hour's first fold, and the late change folded on its own
  });

  it('answers bad report requests with a 4xx that says what is wrong', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/reports/durations', 400, /metric must be one of queue_wait, play/],
      ['/reports/durations?metric=latency', 400, /metric must be one of/],
      ['/reports/durations?metric=play&interval=month', 400, /interval must be minute, 5m, hour, day or week/],
      ['/reports/durations?metric=play&from=yesterday', 400, /from must be an ISO-8601/],
      ['/reports/durations?metric=play&from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 400, /longer than 366 days/],
      ['/reports/durations?metric=play&taskId=nope', 404, /not tracked/],
      ['/reports/tasks?sort=p50PlayMs', 400, /sort must be one of failures, failureRate, p95PlayMs, p95QueueWaitMs/],
    ];
    for (const [path, status, message] of cases) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.body.message).toMatch(message);
    }
  });
});
