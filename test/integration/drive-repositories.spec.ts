import { ReadDatabase } from '../../src/database/read-database';
import { MetricsService } from '../../src/metrics/metrics.service';
import { AppConfig } from '../../src/config/app-config';
import { PrismaService } from '../../src/database/prisma.service';
import { CallbackReceiptsRepository } from '../../src/drives/callback-receipts.repository';
import { DriveReadsRepository } from '../../src/drives/drive-reads.repository';
import { ObservationsRepository } from '../../src/drives/observations.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('the drive repositories on PostgreSQL', () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  let tasks: TasksRepository;
  let receipts: CallbackReceiptsRepository;
  let observations: ObservationsRepository;
  let reads: DriveReadsRepository;
  const t0 = new Date('2026-11-24T10:15:00Z');
  const later = (s: number) => new Date(t0.getTime() + s * 1000);
  const poll = (at: Date) => ({ at, source: 'poll' as const, complete: true });

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = new PrismaService(db.url);
    receipts = new CallbackReceiptsRepository(prisma);
    const read = new ReadDatabase(prisma, undefined);
    tasks = new TasksRepository(prisma, receipts, read);
    observations = new ObservationsRepository(prisma, receipts, new MetricsService(), new AppConfig());
    reads = new DriveReadsRepository(read, prisma);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  async function state(taskId: string) {
    const [task] = await db.query(`SELECT queued, playing, failed, finished FROM task WHERE task_id = $1`, [taskId]);
    const drives = await db.query(`SELECT drive_id, status FROM drive WHERE task_id = $1 ORDER BY drive_id`, [taskId]);
    const history = await db.query(
      `SELECT d.drive_id, h.previous_status, h.status, h.source FROM drive_history h JOIN drive d ON d.id = h.drive_row_id
        WHERE h.task_id = $1 ORDER BY h.id`,
      [taskId],
    );
    const outcomes = await db.query(
      `SELECT hour, failed, finished FROM drive_outcome_hourly WHERE task_id = $1 ORDER BY hour`,
      [taskId],
    );
    return { task, drives, history, outcomes };
  }

  it('records new drives and changes with history, counters and hourly outcomes together', async () => {
    await tasks.trackTask('t1', 'manual');
    await observations.applyObservation(
      't1',
      [
        { driveId: 'a', status: 1 },
        { driveId: 'b', status: 2 },
      ],
      poll(t0),
    );
    await observations.applyObservation(
      't1',
      [
        { driveId: 'a', status: 2 },
        { driveId: 'b', status: 4 },
      ],
      poll(later(5)),
    );
    await observations.applyObservation(
      't1',
      [
        { driveId: 'a', status: 3 },
        { driveId: 'b', status: 4 },
      ],
      poll(later(3600)),
    );
    const s = await state('t1');
    expect(s.task).toEqual({ queued: 0, playing: 0, failed: 1, finished: 1 });
    expect(s.history).toEqual([
      { drive_id: 'a', previous_status: null, status: 1, source: 'poll' },
      { drive_id: 'b', previous_status: null, status: 2, source: 'poll' },
      { drive_id: 'a', previous_status: 1, status: 2, source: 'poll' },
      { drive_id: 'b', previous_status: 2, status: 4, source: 'poll' },
      { drive_id: 'a', previous_status: 2, status: 3, source: 'poll' },
    ]);
    expect(s.outcomes).toEqual([
      { hour: new Date('2026-11-24T10:00:00Z'), failed: 0, finished: 1 },
      { hour: new Date('2026-11-24T11:00:00Z'), failed: 1, finished: 0 },
    ]);
  });

  it('reads one drive with its whole history, oldest first', async () => {
    await tasks.trackTask('t1d', 'manual');
    await observations.applyObservation(
      't1d',
      [
        { driveId: 'a', status: 1 },
        { driveId: 'b', status: 1 },
      ],
      poll(t0),
    );
    await observations.applyObservation('t1d', [{ driveId: 'a', status: 2 }], {
      at: later(2),
      source: 'callback',
      complete: false,
    });
    await observations.applyObservation(
      't1d',
      [
        { driveId: 'a', status: 4 },
        { driveId: 'b', status: 1 },
      ],
      poll(later(9)),
    );
    const a = await reads.getDrive('t1d', 'a');
    expect(a).toMatchObject({
      driveId: 'a',
      taskId: 't1d',
      status: 4,
      firstSeenAt: t0.toISOString(),
      statusChangedAt: later(9).toISOString(),
    });
    expect(a!.history).toEqual([
      { status: 1, previousStatus: null, observedAt: t0.toISOString(), source: 'poll' },
      { status: 2, previousStatus: 1, observedAt: later(2).toISOString(), source: 'callback' },
      { status: 4, previousStatus: 2, observedAt: later(9).toISOString(), source: 'poll' },
    ]);
    expect((await reads.getDrive('t1d', 'b'))!.history).toHaveLength(1);
    expect(await reads.getDrive('t1d', 'missing')).toBeNull();
    expect(await reads.getDrive('t1-other', 'a')).toBeNull();
  });

  it('writes no drive rows for an observation that changes nothing (at-least-once polling)', async () => {
    await tasks.trackTask('t2', 'manual');
    const obs = [{ driveId: 'a', status: 2 as const }];
    await observations.applyObservation('t2', obs, poll(t0));
    // xmin is the id of the transaction that last wrote a row: unchanged means not rewritten.
    const before = await db.query(`SELECT xmin::text FROM drive WHERE task_id = 't2'`);
    const result = await observations.applyObservation('t2', obs, poll(later(1)));
    expect(result?.plan.changes).toEqual([]);
    expect(await db.query(`SELECT xmin::text FROM drive WHERE task_id = 't2'`)).toEqual(before);
    const s = await state('t2');
    expect(s.history).toHaveLength(1);
    expect(s.task).toEqual({ queued: 0, playing: 1, failed: 0, finished: 0 });
  });

  it('never lets a terminal status regress', async () => {
    await tasks.trackTask('t3', 'manual');
    await observations.applyObservation('t3', [{ driveId: 'a', status: 4 }], poll(t0));
    const result = await observations.applyObservation('t3', [{ driveId: 'a', status: 2 }], poll(later(1)));
    expect(result?.plan.regressions).toEqual([{ driveId: 'a', stored: 4, observed: 2 }]);
    const s = await state('t3');
    expect(s.drives).toEqual([{ drive_id: 'a', status: 4 }]);
    expect(s.history).toHaveLength(1);
    expect(s.task).toEqual({ queued: 0, playing: 0, failed: 0, finished: 1 });
  });

  it('serialises concurrent observations of one task: the same change is recorded once', async () => {
    await tasks.trackTask('t4', 'manual');
    const obs = [
      { driveId: 'a', status: 1 as const },
      { driveId: 'b', status: 4 as const },
    ];
    await Promise.all(Array.from({ length: 8 }, (_, i) => observations.applyObservation('t4', obs, poll(later(i)))));
    const s = await state('t4');
    expect(s.history).toHaveLength(2);
    expect(s.task).toEqual({ queued: 1, playing: 0, failed: 0, finished: 1 });
    expect(s.outcomes.reduce((n, o) => n + Number(o.finished), 0)).toBe(1);
  });

  it('keeps counters exact under concurrent callbacks for a task that does not exist yet', async () => {
    const events = Array.from({ length: 24 }, (_, i) => ({
      driveId: `c${i % 6}`,
      status: ((i % 4) + 1) as 1 | 2 | 3 | 4,
    }));
    await Promise.all(
      events.map((e, i) =>
        observations.applyObservation('t8', [e], {
          at: later(i),
          source: 'callback',
          complete: false,
          ensureTask: 'callback',
        }),
      ),
    );
    const [counts] = await db.query(
      `SELECT count(*) FILTER (WHERE status = 1)::int AS queued, count(*) FILTER (WHERE status = 2)::int AS playing,
              count(*) FILTER (WHERE status = 3)::int AS failed, count(*) FILTER (WHERE status = 4)::int AS finished
         FROM drive WHERE task_id = 't8'`,
    );
    const s = await state('t8');
    expect(s.task).toEqual(counts);
    expect(s.drives).toHaveLength(6);
    // Each drive's history only moves forward, one entry per step.
    const byDrive = new Map<string, number[]>();
    for (const h of s.history)
      byDrive.set(String(h.drive_id), [...(byDrive.get(String(h.drive_id)) ?? []), Number(h.status)]);
    for (const steps of byDrive.values()) {
      for (let i = 1; i < steps.length; i++) expect(Math.min(steps[i], 3)).toBeGreaterThan(Math.min(steps[i - 1], 3));
    }
  });

  it('rolls everything back when the transaction fails half-way', async () => {
    await tasks.trackTask('t5', 'manual');
    await observations.applyObservation('t5', [{ driveId: 'a', status: 1 }], poll(t0));
    // A trigger makes the hourly-outcome write fail after drive and history rows were written.
    await db.query(
      `CREATE FUNCTION fail_outcome() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`,
    );
    await db.query(
      `CREATE TRIGGER fail_outcome BEFORE INSERT ON drive_outcome_hourly FOR EACH ROW EXECUTE FUNCTION fail_outcome()`,
    );
    try {
      await expect(
        observations.applyObservation(
          't5',
          [
            { driveId: 'a', status: 4 },
            { driveId: 'b', status: 2 },
          ],
          poll(later(1)),
        ),
      ).rejects.toThrow();
    } finally {
      await db.query(`DROP TRIGGER fail_outcome ON drive_outcome_hourly`);
      await db.query(`DROP FUNCTION fail_outcome()`);
    }
    const s = await state('t5');
    expect(s.drives).toEqual([{ drive_id: 'a', status: 1 }]);
    expect(s.history).toHaveLength(1);
    expect(s.task).toEqual({ queued: 1, playing: 0, failed: 0, finished: 0 });
    expect(s.outcomes).toEqual([]);
  });

  it('keeps counters equal to the drives table after many random observations', async () => {
    await tasks.trackTask('t6', 'manual');
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 40; i++) {
      const obs = Array.from({ length: 6 }, (_, k) => ({
        driveId: `d${k}`,
        status: (1 + Math.floor(rand() * 4)) as 1 | 2 | 3 | 4,
      }));
      await observations.applyObservation('t6', obs, poll(later(i * 600)));
    }
    const [counts] = await db.query(
      `SELECT count(*) FILTER (WHERE status = 1)::int AS queued, count(*) FILTER (WHERE status = 2)::int AS playing,
              count(*) FILTER (WHERE status = 3)::int AS failed, count(*) FILTER (WHERE status = 4)::int AS finished
         FROM drive WHERE task_id = 't6'`,
    );
    expect((await state('t6')).task).toEqual(counts);
    const [terminal] = await db.query(
      `SELECT count(*) FILTER (WHERE status = 3)::int AS failed, count(*) FILTER (WHERE status = 4)::int AS finished
         FROM drive_history WHERE task_id = 't6'`,
    );
    const [agg] = await db.query(
      `SELECT sum(failed)::int AS failed, sum(finished)::int AS finished FROM drive_outcome_hourly WHERE task_id = 't6'`,
    );
    expect(agg).toEqual(terminal);
    expect(Number(counts.failed) + Number(counts.finished)).toBe(Number(terminal.failed) + Number(terminal.finished));
  });

  it('paginates drives with a keyset and filters by status', async () => {
    await tasks.trackTask('t7', 'manual');
    const obs = Array.from({ length: 25 }, (_, i) => ({
      driveId: `d${String(i).padStart(2, '0')}`,
      status: ((i % 4) + 1) as 1 | 2 | 3 | 4,
    }));
    await observations.applyObservation('t7', obs, poll(t0));
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await reads.drivePage('t7', null, 10, after);
      expect(page?.counts).toEqual({ queued: 7, playing: 6, failed: 6, finished: 6, unresolved: 0 });
      const drives = page!.drives;
      seen.push(...drives.map((d) => d.driveId));
      after = drives[drives.length - 1].id;
      if (drives.length < 10) break;
    }
    expect(seen).toEqual(obs.map((o) => o.driveId));
    const failed = await reads.drivePage('t7', [3], 100, null);
    expect(failed!.drives.map((d) => d.status)).toEqual(Array(6).fill(3));
    // A filter and a cursor together: the failed drives after the second one.
    const rest = await reads.drivePage('t7', [3], 100, failed!.drives[1].id);
    expect(rest!.drives.map((d) => d.driveId)).toEqual(failed!.drives.slice(2).map((d) => d.driveId));
    // Past the last drive, and a filter nothing matches: the counters, no drives.
    expect(await reads.drivePage('t7', null, 10, after)).toEqual({
      counts: { queued: 7, playing: 6, failed: 6, finished: 6, unresolved: 0 },
      drives: [],
      version: { task: expect.stringMatching(/^\d+$/), drives: '' },
    });
    await tasks.trackTask('t7-empty', 'manual');
    expect(await reads.drivePage('t7-empty', [3], 10, null)).toEqual({
      counts: { queued: 0, playing: 0, failed: 0, finished: 0, unresolved: 0 },
      drives: [],
      version: { task: expect.stringMatching(/^\d+$/), drives: '' },
    });
    expect(await reads.drivePage('t7-unknown', null, 10, null)).toBeNull();
  });

  it("keeps each event's own source in the history of a batch (not the first event's)", async () => {
    await tasks.trackTask('batch-sources', 'manual');
    const event = (driveId: string, source: 'callback' | 'producer' | 'client', s: number) => ({
      taskId: 'batch-sources',
      observed: [{ driveId, status: 1 as const }],
      options: { at: later(s), source, complete: false },
    });
    const results = await observations.applyBatch([
      event('a', 'callback', 1),
      event('b', 'producer', 2),
      event('c', 'client', 3),
    ]);
    expect(results.every((r) => r !== null && !(r instanceof Error))).toBe(true);
    expect((await state('batch-sources')).history).toEqual([
      { drive_id: 'a', previous_status: null, status: 1, source: 'callback' },
      { drive_id: 'b', previous_status: null, status: 1, source: 'producer' },
      { drive_id: 'c', previous_status: null, status: 1, source: 'client' },
    ]);
  });
});
