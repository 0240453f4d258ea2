import { definedInlineStatement, definedStatements } from '../../src/database/sql';
import '../../src/database/sql-snapshots';
import { columnOf } from '../../src/database/columns';
import { Prisma } from '../../src/generated/prisma/client';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The hot statements use their indexes: EXPLAIN (plain, so nothing runs, data-modifying CTEs
 * included) on a database seeded with enough rows that a sequential scan of a big table would cost
 * the planner far more than an index, with statistics gathered. No planner setting is changed:
 * the plans are the ones production gets. A table with rows to speak of (task, drive, the
 * partition of drive_history holding the seeded history) must not be read by a Seq Scan; an empty
 * partition may be (reading nothing costs nothing).
 */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe('the plans of the hot statements', () => {
  let db: TestDatabase;
  /** Relations holding at least 1 000 rows after seeding. */
  let big: Set<string>;
  const TASKS = 4000;
  const DRIVES_PER_TASK = 40;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Tasks not due for an hour (but ten), 40 drives each, one history entry per drive.
    await db.query(
      `INSERT INTO task (task_id, source, next_poll_at, queued, playing, failed, finished)
       SELECT 'task-' || lpad(i::text, 5, '0'), 'manual',
              CASE WHEN i <= 10 THEN now() - interval '1 minute' ELSE now() + interval '1 hour' END, 10, 10, 10, 10
         FROM generate_series(1, $1::int) AS i`,
      [TASKS],
    );
    await db.query(
      `INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
       SELECT 'task-' || lpad(t::text, 5, '0'), 'drive-' || d, 1 + d % 4, now(), now(), now()
         FROM generate_series(1, $1::int) AS t, generate_series(1, $2::int) AS d`,
      [TASKS, DRIVES_PER_TASK],
    );
    await db.query(
      `INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source)
       SELECT id, task_id, status, NULL, now(), 'poll' FROM drive`,
    );
    await db.query('ANALYZE');
    const sizes = await db.query<{ name: string; n: number }>(
      `SELECT relname AS name, reltuples AS n FROM pg_class WHERE relkind = 'r' AND reltuples >= 1000`,
    );
    big = new Set(sizes.map((s) => s.name));
  }, 120_000);
  afterAll(async () => {
    await db.drop();
  });

  it('seeded the big tables (the test means something)', () => {
    expect(big).toContain('task');
    expect(big).toContain('drive');
    expect([...big].some((t) => t.startsWith('drive_history'))).toBe(true);
  });

  async function plan(text: string, values: unknown[] = []): Promise<PlanNode[]> {
    const [row] = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
    return nodes(row['QUERY PLAN'][0].Plan);
  }
  const seqScansOfBigTables = (plan: PlanNode[]) =>
    plan.filter((n) => n['Node Type'] === 'Seq Scan' && big.has(n['Relation Name']!)).map((n) => n['Relation Name']);
  const indexesUsed = (plan: PlanNode[]) => plan.map((n) => n['Index Name']).filter(Boolean);

  function named(name: string) {
    const s = definedStatements().find((d) => d.name === name);
    if (!s) throw new Error(`no statement ${name}`);
    return s as unknown as { text: string; values(args: Record<string, unknown>): unknown[] };
  }
  const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const inline = (name: string, args: Record<string, unknown>) =>
    definedInlineStatement(name)!.render(args as never, literal);

  it('reads a page of a task drives through the task key and the (task, id) index', async () => {
    for (const [name, args] of [
      ['drive-page-all-first', { taskId: 'task-00042', limit: 100 }],
      ['drive-page-all-after', { taskId: 'task-00042', limit: 100, afterId: '12345' }],
      ['drive-page-status-first', { taskId: 'task-00042', limit: 100, statuses: [3] }],
      ['drive-page-status-after', { taskId: 'task-00042', limit: 100, statuses: [3], afterId: '12345' }],
    ] as const) {
      const s = named(name);
      const p = await plan(s.text, s.values(args));
      expect({ name, seq: seqScansOfBigTables(p) }).toEqual({ name, seq: [] });
      expect(indexesUsed(p)).toContain('task_pkey');
    }
  });

  it('reads a drive with its history through the drive key and the history drive index', async () => {
    const s = named('drive-with-history');
    const p = await plan(s.text, s.values({ taskId: 'task-00042', driveId: 'drive-7' }));
    expect(seqScansOfBigTables(p)).toEqual([]);
    expect(indexesUsed(p)).toContain('drive_task_drive_key');
  });

  it('finds the newest history id and the tasks written since through the history key (every evaluation round)', async () => {
    const last = named('last-history-id');
    const p = await plan(last.text, last.values({}));
    expect(seqScansOfBigTables(p)).toEqual([]);
    // One entry at the end of each partition's key, not every row (Prisma's aggregate read them all).
    expect(p.some((n) => n['Node Type'] === 'Index Only Scan' && n['Scan Direction'] === 'Backward')).toBe(true);
    const between = named('tasks-with-history-between');
    const q = await plan(between.text, between.values({ after: '150000', upTo: '150100' }));
    expect(seqScansOfBigTables(q)).toEqual([]);
  });

  it('finds the due tasks through task_due_idx', async () => {
    const s = named('tasks-due');
    const p = await plan(s.text, s.values({ now: new Date(), exclude: ['task-00001'], limit: 50 }));
    expect(seqScansOfBigTables(p)).toEqual([]);
    expect(indexesUsed(p)).toContain('task_due_idx');
  });

  it('locks and reads a task and its drives (single and batch write) by key', async () => {
    for (const text of [
      inline('observation-lock-task', { taskId: 'task-00042' }),
      inline('observation-read-drives', { taskId: 'task-00042' }),
      inline('observation-read-named-drives', { taskId: 'task-00042', driveIds: ['drive-3', 'drive-4'] }),
      inline('batch-lock-tasks', { taskIds: ['task-00042', 'task-00043'] }),
      inline('batch-read-drives', {
        pairs: [
          ['task-00042', 'drive-3'],
          ['task-00043', 'drive-4'],
        ],
      }),
    ]) {
      expect({ text, seq: seqScansOfBigTables(await plan(text)) }).toEqual({ text, seq: [] });
    }
  });

  it('writes an observation (every CTE of the single and the batch write) without scanning a big table', async () => {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const aggregates = {
      outcomeTaskIds: ['task-00042'],
      outcomeMinutes: [minute],
      outcomeFailed: [1],
      outcomeFinished: [0],
      typedTypes: ['text'],
      typedMinutes: [minute],
      typedStatuses: [3],
      cellTaskIds: ['task-00042'],
      cellMetrics: [2],
      cellMinutes: [minute],
      cellBuckets: [40],
      cellDrives: [1],
    };
    const write = named('observation-write');
    const single = await plan(
      write.text,
      write.values({
        ...aggregates,
        taskId: 'task-00042',
        at: new Date(),
        source: 'callback',
        changedIds: ['drive-3', 'drive-new'],
        changedStatuses: [3, 1],
        previousStatuses: [2, null],
        changedQueuedAt: [null, Date.now()],
        changedPlayingAt: [Date.now() - 1000, null],
        changedEndedAt: [Date.now(), null],
        vanished: ['drive-5'],
        reappeared: ['drive-6'],
        retimedIds: ['drive-7'],
        retimedQueuedAt: [Date.now() - 5000],
        retimedPlayingAt: [null],
        retimedEndedAt: [null],
        queuedDelta: 1,
        playingDelta: -1,
        failedDelta: 1,
        finishedDelta: 0,
        resolved: 0,
        isPoll: false,
        startedAt: new Date(),
        nextActive: null,
        nextIdle: null,
        receiptSignature: 'sig',
        receiptTimestamp: '1',
        receiptNonce: 'n',
        receiptSentAt: new Date(),
        receiptBody: Buffer.alloc(32),
      }),
    );
    expect(seqScansOfBigTables(single)).toEqual([]);
    expect(indexesUsed(single)).toContain('drive_task_drive_key');

    const changes = named('observation-batch-write');
    const batch = await plan(
      changes.text,
      changes.values({
        savedTaskIds: ['task-00042'],
        savedDriveIds: ['drive-3'],
        savedStatuses: [3],
        savedFirstAt: [new Date()],
        savedChangedAt: [new Date()],
        savedQueuedAt: [null],
        savedPlayingAt: [Date.now() - 1000],
        savedEndedAt: [Date.now()],
        historyTaskIds: ['task-00042'],
        historyDriveIds: ['drive-3'],
        historyStatuses: [3],
        historyPrevious: [2],
        historyAt: [new Date()],
        historySources: ['callback'],
        touchedTaskIds: ['task-00043'],
        touchedDriveIds: ['drive-4'],
        touchedQueuedAt: [Date.now() - 5000],
        touchedPlayingAt: [null],
        touchedEndedAt: [null],
        touchedReappearedAt: [null],
        counterTaskIds: ['task-00042'],
        queuedDeltas: [0],
        playingDeltas: [-1],
        failedDeltas: [1],
        finishedDeltas: [0],
        resolved: [0],
      }),
    );
    expect(seqScansOfBigTables(batch)).toEqual([]);
    const aggregate = named('observation-aggregates');
    expect(seqScansOfBigTables(await plan(aggregate.text, aggregate.values(aggregates)))).toEqual([]);
  });

  it('finds the column of every field of the models the SQL names (database/columns.ts)', async () => {
    const columns = await db.query<{ table: string; column: string }>(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const has = new Set(columns.map((c) => `${c.table}.${c.column}`));
    const missing = [
      ['drive', Prisma.DriveScalarFieldEnum],
      ['task', Prisma.TaskScalarFieldEnum],
      ['drive_history', Prisma.DriveHistoryScalarFieldEnum],
    ].flatMap(([table, fields]) =>
      Object.values(fields as Record<string, string>)
        .map((f) => `${table as string}.${columnOf<Record<string, unknown>>(f)}`)
        .filter((c) => !has.has(c)),
    );
    expect(missing).toEqual([]);
  });
});
