import { ObservationsRepository } from '../../src/drives/observations.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { bucketValue, durationBucket } from '../../src/drives/durations';
import { Harness, startHarness } from '../support/harness';

const HOUR = 3600_000;

/** Seeds history through the repository's own write path, at chosen times. */
async function seed(h: Harness, taskId: string, events: Array<{ drive: string; status: 1 | 2 | 3 | 4; at: number }>) {
  await h.app.get(TasksRepository).trackTask(taskId, 'manual');
  const observations = h.app.get(ObservationsRepository);
  for (const e of events) {
    await observations.applyObservation(taskId, [{ driveId: e.drive, status: e.status }], {
      at: new Date(e.at),
      source: 'callback',
      complete: false,
    });
  }
}

describe('historical reports', () => {
  let h: Harness;
  const base = Date.parse('2026-11-10T00:00:00Z');
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false' } });
    // Three tasks, two weeks, drives ending at assorted hours.
    let n = 0;
    for (const [taskId, count, failEvery] of [
      ['rep-a', 40, 2],
      ['rep-b', 25, 5],
      ['rep-c', 10, 100],
    ] as const) {
      const events: Array<{ drive: string; status: 2 | 3 | 4; at: number }> = [];
      for (let i = 0; i < count; i++) {
        const at = base + ((n++ * 7919) % (14 * 24)) * HOUR + (i % 60) * 60_000;
        events.push({ drive: `${taskId}-d${i}`, status: 2, at: at - 30_000 });
        events.push({ drive: `${taskId}-d${i}`, status: i % failEvery === 0 ? 3 : 4, at });
      }
      await seed(h, taskId, events);
    }
  });
  afterAll(() => h.close());

  /** The expected answer, counted straight from drive_history. */
  async function fromHistory(unit: 'hour' | 'day' | 'week', from: string, to: string, taskId?: string) {
    const rows = await h.db.query<{ start: Date; failed: number; finished: number }>(
      `SELECT date_bin($1::interval, observed_at, '2026-01-05T00:00:00Z') AS start,
              count(*) FILTER (WHERE status = 3)::int AS failed, count(*) FILTER (WHERE status = 4)::int AS finished
         FROM drive_history WHERE observed_at >= $2 AND observed_at < $3 AND ($4::text IS NULL OR task_id = $4) AND status IN (3, 4)
        GROUP BY 1`,
      [`1 ${unit}`, from, to, taskId ?? null],
    );
    return new Map(rows.map((r) => [r.start.toISOString(), { failed: r.failed, finished: r.finished }]));
  }

  it.each(['hour', 'day', 'week'] as const)(
    'failure buckets by %s match history counted independently, empty buckets included',
    async (interval) => {
      const from = '2026-11-09T00:00:00Z';
      const to = '2026-11-30T00:00:00Z';
      const { status, body } = await h.request('GET', `/reports/failures?from=${from}&to=${to}&interval=${interval}`);
      expect(status).toBe(200);
      const expected = await fromHistory(interval, from, to);
      const size = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR }[interval];
      expect(body.buckets).toHaveLength((Date.parse(to) - Date.parse(from)) / size);
      let failed = 0;
      let finished = 0;
      body.buckets.forEach((b: { start: string; failed: number; finished: number; failureRate: number }, i: number) => {
        expect(Date.parse(b.start)).toBe(Date.parse(from) + i * size);
        const e = expected.get(b.start) ?? { failed: 0, finished: 0 };
        expect({ failed: b.failed, finished: b.finished }).toEqual(e);
        expect(b.failureRate).toBeCloseTo(e.failed + e.finished ? e.failed / (e.failed + e.finished) : 0);
        failed += b.failed;
        finished += b.finished;
      });
      expect(failed + finished).toBe(75);
      expect(body.totals).toEqual({ failed, finished, failureRate: failed / (failed + finished), unresolved: 0 });
    },
  );

  it('narrows to one task with taskId', async () => {
    const { body } = await h.request(
      'GET',
      '/reports/failures?from=2026-11-01&to=2026-12-01&interval=day&taskId=rep-b',
    );
    expect(body.totals.failed + body.totals.finished).toBe(25);
    expect(body.totals.failed).toBe(5);
  });

  it('answers CSV with a header row, by Accept header or by format=csv', async () => {
    const json = (await h.request('GET', '/reports/failures?from=2026-11-10&to=2026-11-12&interval=day')).body;
    for (const res of [
      await fetch(`${h.baseUrl}/reports/failures?from=2026-11-10&to=2026-11-12&interval=day`, {
        headers: { accept: 'text/csv' },
      }),
      await fetch(`${h.baseUrl}/reports/failures?from=2026-11-10&to=2026-11-12&interval=day&format=csv`),
    ]) {
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await res.text()).trim().split('\r\n');
      expect(lines[0]).toBe('start,failed,finished,failureRate,unresolved');
      expect(lines.slice(1)).toEqual(
        json.buckets.map(
          (b: { start: string; failed: number; finished: number; failureRate: number; unresolved: number }) =>
            `${b.start},${b.failed},${b.finished},${b.failureRate},${b.unresolved}`,
        ),
      );
    }
  });

  it('ranks tasks by failures and by failure rate', async () => {
    const byFailures = (await h.request('GET', '/reports/tasks?from=2026-11-01&to=2026-12-01')).body;
    expect(byFailures.items.map((t: { taskId: string }) => t.taskId)).toEqual(['rep-a', 'rep-b', 'rep-c']);
    // Every drive played 30 s (the bucket of 30,000 ms stands for 29,952) and none was seen queued.
    expect(byFailures.items[0]).toEqual({
      taskId: 'rep-a',
      failed: 20,
      finished: 20,
      failureRate: 0.5,
      p95PlayMs: bucketValue(durationBucket(30_000)),
      p95QueueWaitMs: null,
    });
    const byRate = (await h.request('GET', '/reports/tasks?from=2026-11-01&to=2026-12-01&sort=failureRate&limit=2'))
      .body;
    expect(byRate.items.map((t: { taskId: string }) => t.taskId)).toEqual(['rep-a', 'rep-b']);
    const csv = await (await fetch(`${h.baseUrl}/reports/tasks?from=2026-11-01&to=2026-12-01&format=csv`)).text();
    expect(csv.split('\r\n')[0]).toBe('taskId,failed,finished,failureRate,p95PlayMs,p95QueueWaitMs');
    expect(csv).toContain('rep-c,1,9,0.1,29952,\r\n'); // no queue wait known: an empty cell
  });

  it('walks a task’s history oldest first, every entry exactly once', async () => {
    const seen: Array<{ observedAt: string; driveId: string; status: string }> = [];
    let cursor: string | null = null;
    do {
      const path: string = `/tasks/rep-a/history?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await h.request('GET', path);
      expect(status).toBe(200);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(80);
    expect(new Set(seen.map((e) => `${e.driveId}:${e.status}`)).size).toBe(80);
    const times = seen.map((e) => Date.parse(e.observedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const window = (
      await h.request('GET', '/tasks/rep-a/history?from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z&limit=500')
    ).body.items;
    expect(window.every((e: { observedAt: string }) => e.observedAt.startsWith('2026-11-10'))).toBe(true);
  });

  it('defaults to the last 7 days', async () => {
    const { body } = await h.request('GET', '/reports/failures');
    expect(body.interval).toBe('hour');
    expect(Date.parse(body.to) - Date.parse(body.from)).toBeGreaterThanOrEqual(7 * 24 * HOUR);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBeLessThanOrEqual(7 * 24 * HOUR + HOUR);
  });

  it.each([
    ['/reports/failures?from=2024-01-01&to=2025-06-01&interval=day', /366 days/],
    ['/reports/failures?interval=2m', /interval/],
    ['/reports/failures?from=2026-11-10&to=2026-11-01', /earlier/],
    ['/reports/failures?taskId=bad%20id', /taskId/],
    ['/reports/failures?format=xml', /format/],
    ['/reports/tasks?sort=name', /sort/],
    ['/reports/tasks?limit=0', /limit/],
    ['/tasks/rep-a/history?cursor=abc', /cursor/],
    // Forged keys past a bigint or past the last valid date must not reach the database as a 500.
    [
      `/tasks/rep-a/history?cursor=${Buffer.from(JSON.stringify({ l: 'history:rep-a', a: '1795512000000:9999999999999999999' })).toString('base64url')}`,
      /cursor/,
    ],
    [
      `/tasks/rep-a/history?cursor=${Buffer.from(JSON.stringify({ l: 'history:rep-a', a: '9999999999999999:1' })).toString('base64url')}`,
      /cursor/,
    ],
    ['/tasks/rep-a/history?from=soon', /from/],
  ])('GET %s is a 400 that says why', async (path, message) => {
    const res = await h.request('GET', path);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('is a 404 for an unknown task', async () => {
    expect((await h.request('GET', '/tasks/nope/history')).status).toBe(404);
    expect((await h.request('GET', '/reports/failures?taskId=nope')).status).toBe(404);
  });
});
