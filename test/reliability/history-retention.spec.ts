import { ObservationsRepository } from '../../src/drives/observations.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { MaintenanceService } from '../../src/maintenance/maintenance.service';
import { Harness, startHarness } from '../support/harness';
import { driveCallback } from '../support/callbacks';

/**
 * drive_history is partitioned by month. The maintenance job makes months ahead and, with
 * HISTORY_RETENTION_DAYS, drops whole months: the drives, their current status and the
 * aggregates stay, so reports over the dropped months still answer, and callbacks arriving
 * while a month is dropped are all acknowledged and recorded.
 */
const SECRET = 'retention-callback-secret-0001';
const DAY = 86_400_000;

describe('history partitions and retention', () => {
  let h: Harness;
  const now = Date.now();
  const monthStart = (t: number, back: number) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
  };
  // Drives that ended in each of the last four months (not the current one).
  const months = [4, 3, 2, 1].map((back) => monthStart(now, back) + 10 * DAY);

  beforeAll(async () => {
    h = await startHarness({
      env: { SYNC_ENABLED: 'false', ZEGO_CALLBACK_SECRET: SECRET, HISTORY_RETENTION_DAYS: '45' },
    });
    // Months of history as a running service would have written them (partitions made then).
    for (const at of months) await h.db.query('SELECT ensure_history_partition($1)', [new Date(at)]);
    await h.app.get(TasksRepository).trackTask('old-task', 'manual');
    const observations = h.app.get(ObservationsRepository);
    for (const [i, at] of months.entries()) {
      const driveId = `old-${i}`;
      for (const [status, dt] of [
        [1, 0],
        [2, 1500],
        [i % 2 ? 3 : 4, 9500],
      ] as const) {
        await observations.applyObservation('old-task', [{ driveId, status }], {
          at: new Date(at + dt),
          source: 'callback',
          complete: false,
        });
      }
    }
  });
  afterAll(() => h.close());

  const auth = {};
  const get = (path: string) => h.request('GET', path, auth);
  const partitions = async () =>
    (
      await h.db.query<{ name: string; rows: number }>(
        `SELECT c.relname AS name, (SELECT count(*)::int FROM drive_history WHERE tableoid = c.oid) AS rows
           FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'drive_history'::regclass ORDER BY 1`,
      )
    ).filter((p) => p.name !== 'drive_history_default');
  const name = (t: number) => `drive_history_${new Date(t).toISOString().slice(0, 7).replace('-', '_')}`;

  it('keeps each month of history in its own partition, and makes the next months ahead', async () => {
    const before = await partitions();
    for (const at of months) expect(before).toContainEqual({ name: name(at), rows: 3 });
    await h.app.get(MaintenanceService).run(now);
    const names = (await partitions()).map((p) => p.name);
    for (const ahead of [0, -1, -2]) expect(names).toContain(name(monthStart(now, ahead)));
  });

  it('drops whole months older than the retention, keeping drives and every aggregate', async () => {
    const range = `from=${new Date(months[0] - DAY).toISOString()}&to=${new Date(now).toISOString()}&interval=day`;
    const failuresBefore = (await get(`/reports/failures?${range}`)).body.totals;
    const playBefore = (await get(`/reports/durations?metric=play&${range}`)).body.totals;
    expect(failuresBefore).toMatchObject({ failed: 2, finished: 2 });
    expect(playBefore.count).toBe(4);

    // Callbacks keep coming while the months are dropped: each one is acknowledged and kept.
    const sending = Array.from({ length: 40 }, (_, i) =>
      h.request('POST', '/callbacks/zego', { body: driveCallback(SECRET, 'live-task', `live-${i}`, 2) }),
    );
    await h.app.get(MaintenanceService).run(now);
    const answers = await Promise.all(sending);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const [{ live }] = await h.db.query<{ live: number }>(
      `SELECT count(*)::int AS live FROM drive_history WHERE task_id = 'live-task'`,
    );
    expect(live).toBe(40);

    // Months that ended more than 45 days ago are gone; the others stay.
    const names = (await partitions()).map((p) => p.name);
    const cutoff = now - 45 * DAY;
    for (const at of months) {
      const ends = monthStart(at, -1);
      expect([name(at), names.includes(name(at))]).toEqual([name(at), ends > cutoff]);
    }
    expect(names).not.toContain(name(months[0]));

    // Drives and their status stay; their history is what is left of it.
    const drive = (await get('/tasks/old-task/drives/old-0')).body;
    expect(drive).toMatchObject({ status: 'finished', playMs: 8000, queueWaitMs: 1500 });
    expect(drive.history).toEqual([]);
    expect((await get('/tasks/old-task')).body.counts).toMatchObject({ failed: 2, finished: 2 });
    // Reports over the dropped months answer as before: they read aggregates, not history.
    expect((await get(`/reports/failures?${range}`)).body.totals).toEqual(failuresBefore);
    expect((await get(`/reports/durations?metric=play&${range}`)).body.totals).toEqual(playBefore);
  });
});
