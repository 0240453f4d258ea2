import { Harness, startHarness } from '../support/harness';

/**
 * Whatever a row holds that the schema allows, every read route answers, JSON and CSV: rows are
 * written straight into the tables with timestamps at PostgreSQL's limits (and its infinities),
 * the longest ids and every status, then every route is read.
 */
const LIMITS = [
  '-infinity',
  '4713-01-01 00:00:00+00 BC',
  '0001-01-01 00:00:00+00',
  '1970-01-01 00:00:00+00',
  '9999-12-31 23:59:59.999+00',
  '294276-12-31 23:59:59.999+00',
  'infinity',
];

describe('reads of extreme rows', () => {
  let h: Harness;
  const taskIds: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false' } });
    for (const [i, at] of LIMITS.entries()) {
      const taskId = `${String(i)}${'t'.repeat(127)}`;
      taskIds.push(taskId);
      await h.db.query(
        `INSERT INTO task (task_id, tracking, source, created_at, last_synced_at, last_sync_error, next_poll_at, ended_at,
                           task_status, task_status_at, final_poll_after, fail_reason, room_id, stream_id,
                           upstream_created_at, queued, playing, failed, finished)
         VALUES ($1, $3, 'manual', $2, $2, 'x', $2, $2, 5, $2, $2, 'y', 'r', 's', $2, 1, 1, 1, 1)`,
        [taskId, at, i % 2 === 0],
      );
      for (const status of [1, 2, 3, 4]) {
        const driveId = `${status}${'d'.repeat(127)}`;
        const [{ id }] = await h.db.query<{ id: string }>(
          `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at, missing_since)
           VALUES ($1, $2, $3, $4, $4, $4, $4) RETURNING id`,
          [taskId, driveId, status, at],
        );
        await h.db.query(
          `INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, recorded_at, source)
           VALUES ($1, $2, $3, NULL, $4, $4, 'poll'), ($1, $2, $3, $3, $4, $4, 'callback')`,
          [id, taskId, status, at],
        );
      }
      await h.db.query(
        `INSERT INTO drive_outcome_hourly (task_id, hour, failed, finished) VALUES ($1, $2, 2147483647, 0)
         ON CONFLICT DO NOTHING`,
        [taskId, at],
      );
      await h.db.query(
        `INSERT INTO drive_outcome_hourly_shard (hour, shard, failed, finished) VALUES ($1, 0, 0, 2147483647)
         ON CONFLICT DO NOTHING`,
        [at],
      );
    }
  });
  afterAll(() => h.close());

  it('answers every read route without a 5xx, in JSON and CSV', async () => {
    const paths: string[] = ['/tasks', '/tasks?limit=3', '/status', '/metrics', '/health/ready', '/alerts'];
    for (const range of ['', '?from=2026-01-01&to=2026-02-01', '?interval=week&from=2000-01-01&to=2006-01-01']) {
      paths.push(`/reports/failures${range}`, `/reports/tasks${range}`);
    }
    for (const t of taskIds) {
      const e = encodeURIComponent(t);
      paths.push(
        `/tasks/${e}`,
        `/tasks/${e}/drives`,
        `/tasks/${e}/drives?status=failed,finished`,
        `/tasks/${e}/failures`,
        `/tasks/${e}/failures?interval=day`,
        `/tasks/${e}/history`,
        `/tasks/${e}/history?from=1970-01-01&to=2100-01-01`,
        `/reports/failures?taskId=${e}`,
      );
      for (const status of [1, 2, 3, 4]) paths.push(`/tasks/${e}/drives/${status}${'d'.repeat(127)}`);
    }
    const failures: string[] = [];
    for (const path of paths) {
      for (const accept of ['application/json', 'text/csv']) {
        const res = await h.request('GET', path, { headers: { accept } });
        if (res.status >= 500)
          failures.push(`${accept} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('shows every stored time as ISO-8601, or null where JavaScript cannot hold it', async () => {
    const times: unknown[] = [];
    for (const [i, t] of taskIds.entries()) {
      const task = (await h.request('GET', `/tasks/${encodeURIComponent(t)}`)).body;
      const drive = (await h.request('GET', `/tasks/${encodeURIComponent(t)}/drives/3${'d'.repeat(127)}`)).body;
      expect(drive.history).toHaveLength(2);
      const shown = [
        ...['createdAt', 'lastSyncedAt', 'endedAt', 'upstreamCreatedAt'].map((f) => task[f]),
        drive.firstSeenAt,
        drive.lastSeenAt,
        ...drive.history.map((x: any) => x.observedAt),
      ];
      for (const time of shown) expect(time === null || !Number.isNaN(Date.parse(time))).toBe(true);
      // Years 1 to 9999 are shown exactly.
      if (LIMITS[i].match(/^(0001|1970|9999)-/)) {
        expect(task.createdAt.slice(0, 4)).toBe(LIMITS[i].slice(0, 4));
        expect(drive.history[0].observedAt.slice(0, 4)).toBe(LIMITS[i].slice(0, 4));
      }
      times.push(...shown);
    }
    expect(times.filter((t) => t === null).length).toBeGreaterThan(0);
  });
});
