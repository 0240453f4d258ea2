import { ObservationJob, ObservationsRepository } from '../../src/drives/observations.repository';
import { OutcomesRepository } from '../../src/drives/outcomes.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { bucketValue, durationBucket } from '../../src/drives/durations';
import { MaintenanceService } from '../../src/maintenance/maintenance.service';
import { inconsistencies } from '../support/processes';
import { Harness, startHarness } from '../support/harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Status = 1 | 2 | 3 | 4;
interface Event {
  drive: string;
  status: Status;
  at: number;
}

/**
 * Reports per minute and per 5 minutes, from the per-minute aggregates written with each change:
 * events at known times (bucket edges included) land in the buckets their times say, through the
 * single write and the group-commit batch alike; ranges are limited to 48 hours within the
 * minutes kept; the maintenance job folds and prunes minutes and leaves the hourly aggregates.
 */
describe('minute and 5-minute reports', () => {
  let h: Harness;
  // Two hours ago, on the hour: every event lies in the past, within 48 hours.
  const base = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
  const observations = () => h.app.get(ObservationsRepository);
  const write = async (taskId: string, events: Event[]) => {
    for (const e of events)
      await observations().applyObservation(taskId, [{ driveId: e.drive, status: e.status }], {
        at: new Date(e.at),
        source: 'callback',
        complete: false,
      });
  };
  // Ends at the edges of minutes and 5-minute buckets: [0, 1 min) holds two, [1, 2) one, [4, 5) one,
  // [5, 6) one; 5-minute buckets [0, 5) four, [5, 10) one.
  const ends: Array<[string, Status, number]> = [
    ['e0', 4, base],
    ['e1', 3, base + MINUTE - 1],
    ['e2', 4, base + MINUTE],
    ['e3', 3, base + 5 * MINUTE - 1],
    ['e4', 4, base + 5 * MINUTE],
  ];
  // Each drive played 30 s before it ended (its play time lands in the minute it ended).
  const edgeEvents: Event[] = ends.flatMap(([drive, status, at]) => [
    { drive, status: 2, at: at - 30_000 },
    { drive, status, at },
  ]);

  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false' } });
    for (const t of [base - 8 * DAY, base]) await h.db.query('SELECT ensure_history_partition($1)', [new Date(t)]);
    const tasks = h.app.get(TasksRepository);
    for (const t of ['min-a', 'min-b', 'min-single', 'min-batch', 'min-old']) await tasks.trackTask(t, 'manual');
    await write('min-a', edgeEvents);
    // Another task: a failure in minute 2, so the cross-task report differs from min-a's.
    await write('min-b', [
      { drive: 'b0', status: 2, at: base + 2 * MINUTE - 10_000 },
      { drive: 'b0', status: 3, at: base + 2 * MINUTE + 10_000 },
    ]);
  });
  afterAll(() => h.close());

  const iso = (t: number) => new Date(t).toISOString();
  const get = (path: string) => h.request('GET', path);

  it('counts ends per minute, bucket edges included, for one task and across tasks', async () => {
    const from = iso(base);
    const to = iso(base + 10 * MINUTE);
    const one = await get(`/reports/failures?interval=minute&from=${from}&to=${to}&taskId=min-a`);
    expect(one.status).toBe(200);
    expect(one.body.interval).toBe('minute');
    expect(one.body.buckets).toHaveLength(10);
    const counts = one.body.buckets.map((b: { failed: number; finished: number }) => [b.failed, b.finished]);
    expect(counts).toEqual([
      [1, 1],
      [0, 1],
      [0, 0],
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(one.body.buckets[0].start).toBe(from);
    expect(one.body.buckets[5].start).toBe(iso(base + 5 * MINUTE));
    const all = await get(`/reports/failures?interval=minute&from=${from}&to=${to}`);
    expect(all.body.buckets[2]).toMatchObject({ failed: 1, finished: 0, failureRate: 1 });
    expect(all.body.totals).toMatchObject({ failed: 3, finished: 3 });
  });

  it('counts ends per minute of one registered drive type, registered before or after the drive ended', async () => {
    const register = (driveId: string, at: number) =>
      observations().applyObservation('min-typed', [{ driveId, status: 1 }], {
        at: new Date(at),
        source: 'producer',
        complete: false,
        ensureTask: 'producer',
        registration: { driveId, type: 'audio', requestId: null, submittedAt: null },
      });
    await register('t1', base + 2 * MINUTE);
    await write('min-typed', [
      { drive: 't1', status: 3, at: base + 3 * MINUTE },
      { drive: 't2', status: 4, at: base + 3 * MINUTE + 5_000 },
    ]);
    await register('t2', base + 4 * MINUTE); // after it ended: counted at the minute it ended
    const { body } = await get(
      `/reports/failures?interval=minute&type=audio&from=${iso(base)}&to=${iso(base + 5 * MINUTE)}`,
    );
    expect(body.type).toBe('audio');
    expect(body.buckets.map((b: { failed: number; finished: number }) => [b.failed, b.finished])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 1],
      [0, 0],
    ]);
  });

  it('counts ends per 5 minutes, and answers CSV with the same rows', async () => {
    const from = iso(base);
    const to = iso(base + 15 * MINUTE);
    const json = await get(`/reports/failures?interval=5m&from=${from}&to=${to}&taskId=min-a`);
    expect(json.body.buckets.map((b: { failed: number; finished: number }) => [b.failed, b.finished])).toEqual([
      [2, 2],
      [0, 1],
      [0, 0],
    ]);
    const csv = await fetch(`${h.baseUrl}/reports/failures?interval=5m&from=${from}&to=${to}&taskId=min-a&format=csv`);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('start,failed,finished,failureRate,unresolved');
    expect(lines[1]).toBe(`${from},2,2,0.5,0`);
    expect(lines).toHaveLength(4);
  });

  it('widens an unaligned range to whole minutes', async () => {
    const { body } = await get(
      `/reports/failures?interval=5m&from=${iso(base + 30_000)}&to=${iso(base + 5 * MINUTE + 1)}&taskId=min-a`,
    );
    expect(body.from).toBe(iso(base));
    expect(body.to).toBe(iso(base + 10 * MINUTE));
    expect(body.totals).toMatchObject({ failed: 2, finished: 3 });
  });

  it('reports play-time percentiles per minute, for one task and across tasks, before and after folding', async () => {
    const from = iso(base);
    const to = iso(base + 10 * MINUTE);
    const played = bucketValue(durationBucket(30_000));
    const check = async (path: string) => {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body.buckets.map((b: { count: number }) => b.count)).toEqual([2, 1, 0, 0, 1, 1, 0, 0, 0, 0]);
      expect(body.buckets[0]).toMatchObject({ count: 2, p50: played, p95: played, max: played });
      expect(body.buckets[2].p50).toBeNull();
      return body;
    };
    await check(`/reports/durations?metric=play&interval=minute&from=${from}&to=${to}&taskId=min-a`);
    const across = `/reports/durations?metric=play&interval=5m&from=${from}&to=${to}`;
    const before = (await get(across)).body;
    expect(before.buckets.map((b: { count: number }) => b.count)).toEqual([5, 1]); // min-b's drive in [0, 5)
    await h.app.get(MaintenanceService).minutes();
    const [{ n }] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM drive_duration_minute_packed WHERE minute >= $1`,
      [new Date(base)],
    );
    expect(n).toBeGreaterThan(0);
    expect((await get(across)).body).toEqual(before);
    // The CSV of a minute duration report.
    const csv = await fetch(
      `${h.baseUrl}/reports/durations?metric=play&interval=minute&from=${from}&to=${to}&taskId=min-a&format=csv`,
    );
    expect((await csv.text()).split('\r\n')[1]).toBe(`${from},2,${played},${played},${played},${played},${played}`);
  });

  it('refuses ranges over 48 hours, and ranges older than the minutes kept, with a 400 that says so', async () => {
    const now = Date.now();
    const long = await get(`/reports/failures?interval=minute&from=${iso(now - 49 * HOUR)}&to=${iso(now)}`);
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/interval=minute covers at most 48 hours and the range is 49 hours/);
    const long5 = await get(`/reports/durations?metric=play&interval=5m&from=${iso(now - 3 * DAY)}`);
    expect(long5.status).toBe(400);
    expect(long5.body.message).toMatch(/interval=5m covers at most 48 hours/);
    const exactly = await get(`/reports/failures?interval=5m&from=${iso(now - 48 * HOUR)}&to=${iso(now)}`);
    expect(exactly.status).toBe(200);
    expect(exactly.body.buckets.length).toBeGreaterThanOrEqual(576);
    const old = await get(
      `/reports/failures?interval=minute&from=${iso(now - 8 * DAY)}&to=${iso(now - 8 * DAY + HOUR)}`,
    );
    expect(old.status).toBe(400);
    expect(old.body.message).toMatch(/kept for 7 days \(MINUTE_RETENTION_DAYS\)/);
    const bad = await get('/reports/failures?interval=2m');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('interval must be minute, 5m, hour, day or week');
  });

  it('defaults to the last hour per minute, and the last 6 hours per 5 minutes', async () => {
    const minute = (await get('/reports/failures?interval=minute')).body;
    expect(minute.buckets.length).toBeGreaterThanOrEqual(60);
    expect(minute.buckets.length).toBeLessThanOrEqual(61);
    const five = (await get('/reports/failures?interval=5m')).body;
    expect(five.buckets.length).toBeGreaterThanOrEqual(72);
    expect(five.buckets.length).toBeLessThanOrEqual(73);
  });

  it('writes the same minute rows through a group-commit batch as through single writes', async () => {
    // Drives of one task through every status, out of order, some late: as single writes to one
    // task, as one batch to another.
    const events: Event[] = [];
    for (let i = 0; i < 12; i++) {
      const t0 = base + 20 * MINUTE + i * 17_000;
      events.push({ drive: `s${i}`, status: 1, at: t0 });
      events.push({ drive: `s${i}`, status: 2, at: t0 + 1_000 + i * 900 });
      events.push({ drive: `s${i}`, status: i % 3 ? 4 : 3, at: t0 + 40_000 + i * 3_000 });
      if (i % 4 === 0) events.push({ drive: `s${i}`, status: 2, at: t0 + 500 }); // earlier: a retime
    }
    await write('min-single', events);
    const jobs: ObservationJob[] = events.map((e) => ({
      taskId: 'min-batch',
      observed: [{ driveId: e.drive, status: e.status }],
      options: { at: new Date(e.at), source: 'callback', complete: false },
    }));
    const results = await observations().applyBatch(jobs);
    expect(results.every((r) => !(r instanceof Error))).toBe(true);
    // Cells that a retime emptied stay as zeros after single writes (readers skip them); a batch
    // sums its deltas first and never writes them.
    const rows = async (table: string, columns: string, where = 'true') =>
      Object.fromEntries(
        await Promise.all(
          ['min-single', 'min-batch'].map(async (t) => [
            t,
            await h.db.query(`SELECT ${columns} FROM ${table} WHERE task_id = $1 AND ${where} ORDER BY ${columns}`, [
              t,
            ]),
          ]),
        ),
      );
    const outcomes = await rows('drive_outcome_minute', 'minute, failed, finished');
    expect(outcomes['min-single'].length).toBeGreaterThan(3);
    expect(outcomes['min-batch']).toEqual(outcomes['min-single']);
    const cells = await rows('drive_duration_minute', 'metric, minute, bucket, drives', 'drives <> 0');
    expect(cells['min-single'].length).toBeGreaterThan(10);
    expect(cells['min-batch']).toEqual(cells['min-single']);
    expect(await inconsistencies((sql) => h.db.query(sql))).toEqual([]);
  });

  it('sums good and bad drives over a window for SLOs, unresolved drives counted bad', async () => {
    const outcomes = h.app.get(OutcomesRepository);
    const window = await outcomes.windowOutcomes('min-a', new Date(base), new Date(base + 10 * MINUTE));
    expect(window).toEqual({ good: 3, bad: 2 });
    const all = await outcomes.windowOutcomes(null, new Date(base), new Date(base + 5 * MINUTE));
    expect(all).toEqual({ good: 3, bad: 4 }); // min-a 2 + 2, min-b 0 + 1, min-typed 1 + 1
    // A drive left playing with no news is marked unresolved: bad in the window of its mark.
    await write('min-b', [{ drive: 'b-stuck', status: 2, at: Date.now() - 10 * MINUTE }]);
    const marked = await outcomes.markUnresolved(new Date(), new Date(Date.now() - 5 * MINUTE));
    expect(marked).toBeGreaterThanOrEqual(1);
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const recent = await outcomes.windowOutcomes('min-b', new Date(now - 5 * MINUTE), new Date(now + MINUTE));
    expect(recent).toEqual({ good: 0, bad: 1 });
  });

  it('drops minutes older than MINUTE_RETENTION_DAYS and keeps the hourly aggregates', async () => {
    const old = base - 8 * DAY;
    await write('min-old', [
      { drive: 'o0', status: 2, at: old - 20_000 },
      { drive: 'o0', status: 4, at: old },
    ]);
    const count = async (table: string) =>
      (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE task_id = 'min-old'`))[0].n;
    const minutesOf = async () =>
      (
        await h.db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM drive_outcome_minute_shard WHERE minute = $1)
                + (SELECT count(*) FROM drive_duration_minute_all WHERE minute = $1)
                + (SELECT count(*) FROM drive_duration_minute_packed WHERE minute = $1) AS n`,
          [new Date(old)],
        )
      )[0].n;
    expect(await count('drive_outcome_minute')).toBe(1);
    expect(await count('drive_duration_minute')).toBe(1);
    expect(Number(await minutesOf())).toBeGreaterThan(0);
    await h.app.get(MaintenanceService).minutes();
    expect(await count('drive_outcome_minute')).toBe(0);
    expect(await count('drive_duration_minute')).toBe(0);
    expect(Number(await minutesOf())).toBe(0);
    // The hourly aggregates stay: the day's hourly report still counts the drive.
    expect(await count('drive_outcome_hourly')).toBe(1);
    expect(await count('drive_duration_hourly')).toBe(1);
    const hourly = await get(
      `/reports/failures?interval=hour&from=${iso(old - HOUR)}&to=${iso(old + HOUR)}&taskId=min-old`,
    );
    expect(hourly.body.totals).toMatchObject({ failed: 0, finished: 1 });
    // Recent minutes are kept.
    const recent = await get(
      `/reports/failures?interval=minute&from=${iso(base)}&to=${iso(base + 10 * MINUTE)}&taskId=min-a`,
    );
    expect(recent.body.totals).toMatchObject({ failed: 2, finished: 3 });
  });
});
