import type { SqlRunner } from '../database/prisma.service';
import { inlineStatement, sql, statement } from '../database/sql';
import { DRIVE_STATUS } from '../zego/zego.types';
import { aggregateParams, BATCH_AGGREGATES, noAggregates } from './drive-aggregates';
import { DRIVE_COLUMNS, msToTime, ON_DRIVE_CHANGE, STORED_DRIVE } from './drive-sql';
import { BatchDrive, BatchWrite, planBatch } from './observation-batch';
import { ObservationJob, ObservationResult } from './observation.types';

/**
 * Group commit's write: several observations in one transaction, in a handful of statements
 * whatever their number (ObservationsRepository.applyBatch and applyInOrder).
 */

/** A task's counters as the batch reads them. */
interface TaskCountsRow {
  taskId: string;
  tracking: boolean;
  queued: number;
  playing: number;
  failed: number;
  finished: number;
}

/** The tasks' locks, in task order (as every writer takes them, so two batches never deadlock). */
const LOCK_TASKS = inlineStatement<{ taskIds: string[] }>(
  'batch-lock-tasks',
  (p) => sql`SELECT task_id AS "taskId", tracking, queued, playing, failed, finished FROM task
              WHERE task_id = ANY(ARRAY[${p.taskIds}]::text[]) ORDER BY task_id FOR UPDATE`,
);
/** The drives the events name, read after the locks (sent with them in one round trip). */
const READ_DRIVES = inlineStatement<{ pairs: Array<[string, string]> }>(
  'batch-read-drives',
  (p) => sql`SELECT ${STORED_DRIVE} FROM drive WHERE (task_id, drive_id) IN (${p.pairs})`,
);

const CLAIM_RECEIPTS = statement<{
  signatures: string[];
  timestamps: string[];
  nonces: string[];
  sentAt: Date[];
  bodies: Buffer[];
}>(
  'batch-claim-receipts',
  (p) => sql`INSERT INTO callback_receipt (signature, timestamp, nonce, sent_at, body_sha256)
             SELECT g, t, n, s, b
               FROM unnest(${p.signatures}::text[], ${p.timestamps}::text[], ${p.nonces}::text[], ${p.sentAt}::timestamptz[],
                           ${p.bodies}::bytea[]) AS r(g, t, n, s, b)
              ORDER BY g ON CONFLICT (signature) DO NOTHING RETURNING signature`,
);

const ENSURE_TASKS = statement<{ taskIds: string[]; sources: string[] }>(
  'batch-ensure-tasks',
  (
    p,
  ) => sql`INSERT INTO task (task_id, source) SELECT t, s FROM unnest(${p.taskIds}::text[], ${p.sources}::text[]) AS x(t, s)
              ORDER BY t
             ON CONFLICT (task_id) DO UPDATE SET tracking = true`,
);

interface ChangesParams {
  savedTaskIds: string[];
  savedDriveIds: string[];
  savedStatuses: number[];
  savedFirstAt: Date[];
  savedChangedAt: Date[];
  savedQueuedAt: Array<number | null>;
  savedPlayingAt: Array<number | null>;
  savedEndedAt: Array<number | null>;
  historyTaskIds: string[];
  historyDriveIds: string[];
  historyStatuses: number[];
  historyPrevious: Array<number | null>;
  historyAt: Date[];
  historySources: string[];
  touchedTaskIds: string[];
  touchedDriveIds: string[];
  touchedQueuedAt: Array<number | null>;
  touchedPlayingAt: Array<number | null>;
  touchedEndedAt: Array<number | null>;
  touchedReappearedAt: Array<Date | null>;
  counterTaskIds: string[];
  queuedDeltas: number[];
  playingDeltas: number[];
  failedDeltas: number[];
  finishedDeltas: number[];
  resolved: number[];
}

/** A batch's drives, history (each entry with its own event's source) and task counters. */
const BATCH_CHANGES = statement<ChangesParams>(
  'observation-batch-write',
  (p) => sql`WITH input AS (
         SELECT * FROM unnest(${p.savedTaskIds}::text[], ${p.savedDriveIds}::text[], ${p.savedStatuses}::smallint[],
                              ${p.savedFirstAt}::timestamptz[], ${p.savedChangedAt}::timestamptz[],
                              ${p.savedQueuedAt}::float8[], ${p.savedPlayingAt}::float8[], ${p.savedEndedAt}::float8[])
                  AS i(task_id, drive_id, status, first_at, changed_at, queued_at, playing_at, ended_at)
       ), saved AS (
         INSERT INTO drive AS d (${DRIVE_COLUMNS})
         SELECT task_id, drive_id, status, first_at, changed_at, changed_at,
                ${msToTime('queued_at')}, ${msToTime('playing_at')}, ${msToTime('ended_at')}
           FROM input ORDER BY task_id, drive_id
         ${ON_DRIVE_CHANGE}
         RETURNING d.id, d.task_id, d.drive_id
       ), history AS (
         INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source)
         SELECT saved.id, h.task_id, h.status, h.previous_status, h.at, h.source
           FROM unnest(${p.historyTaskIds}::text[], ${p.historyDriveIds}::text[], ${p.historyStatuses}::smallint[],
                       ${p.historyPrevious}::smallint[], ${p.historyAt}::timestamptz[], ${p.historySources}::text[])
                WITH ORDINALITY AS h(task_id, drive_id, status, previous_status, at, source, ord)
           JOIN saved USING (task_id, drive_id) ORDER BY h.ord
       ), touched AS (
         UPDATE drive d SET queued_at = ${msToTime('r.queued_at')}, playing_at = ${msToTime('r.playing_at')},
                ended_at = ${msToTime('r.ended_at')},
                missing_since = CASE WHEN r.reappeared_at IS NULL THEN d.missing_since END,
                last_seen_at = COALESCE(r.reappeared_at, d.last_seen_at)
           FROM unnest(${p.touchedTaskIds}::text[], ${p.touchedDriveIds}::text[], ${p.touchedQueuedAt}::float8[],
                       ${p.touchedPlayingAt}::float8[], ${p.touchedEndedAt}::float8[], ${p.touchedReappearedAt}::timestamptz[])
                AS r(task_id, drive_id, queued_at, playing_at, ended_at, reappeared_at)
          WHERE d.task_id = r.task_id AND d.drive_id = r.drive_id
       )
       UPDATE task t SET queued = t.queued + c.q, playing = t.playing + c.p, failed = t.failed + c.f,
              finished = t.finished + c.d, unresolved = t.unresolved - c.r
         FROM unnest(${p.counterTaskIds}::text[], ${p.queuedDeltas}::int[], ${p.playingDeltas}::int[],
                     ${p.failedDeltas}::int[], ${p.finishedDeltas}::int[], ${p.resolved}::int[]) AS c(task_id, q, p, f, d, r)
        WHERE t.task_id = c.task_id`,
  { prepared: true },
);

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Receipt = NonNullable<ObservationJob['receipt']>;
const claimParams = (receipts: readonly Receipt[]) => ({
  signatures: receipts.map((r) => r.signature),
  timestamps: receipts.map((r) => r.timestamp),
  nonces: receipts.map((r) => r.nonce),
  sentAt: receipts.map((r) => r.sentAt),
  bodies: receipts.map((r) => r.bodySha256),
});

/**
 * Several observations written in one transaction. The tasks are locked in task order, missing
 * tasks created, the receipts claimed, then every event is planned as if written alone, one after
 * another (planBatch: the same rules), and the sum of their writes goes out in one statement,
 * aggregates in key order in a second. An event whose receipt was taken (the same callback
 * earlier, or twice in this batch) has no effect: `taken`, classified by the caller after the
 * commit. `planned` sees the batch's plan (for the metrics, once committed).
 *
 * Four round trips when every task is known: BEGIN with the locks, the drives and the receipts of
 * events that may create their task (callbacks: all of them; the receipts inlined, as text), the
 * changes, the aggregates, COMMIT. (Inlining the two prepared statements too, to send them with
 * COMMIT, cost more in parsing and planning than it saved; merging them into one statement held
 * the shared aggregate rows longer and lowered throughput under load: docs/performance.md.)
 */
export async function writeBatch(
  tx: SqlRunner,
  jobs: readonly ObservationJob[],
  planned: (batch: BatchWrite) => void,
): Promise<Array<ObservationResult | null | 'taken'>> {
  const taskIds = [...new Set(jobs.map((j) => j.taskId))].sort(compareText);
  const pairs = jobs.flatMap((j) => j.observed.map((o): [string, string] => [j.taskId, o.driveId]));
  // An event that may create its task is written whether its task exists or not, so its receipt
  // can be claimed with the locks (after them, in the same round trip).
  const early = jobs.flatMap((j) => (j.receipt && j.options.ensureTask !== undefined ? [j.receipt] : []));
  const lockAndRead = async (claim: readonly Receipt[]) => {
    const [tasks, drives, claimed = []] = await tx.queryText((literal) => [
      LOCK_TASKS.render({ taskIds }, literal),
      READ_DRIVES.render({ pairs }, literal),
      ...(claim.length ? [CLAIM_RECEIPTS.inline(claimParams(claim), literal)] : []),
    ]);
    return {
      tasks: tasks as unknown as TaskCountsRow[],
      drives: drives as unknown as BatchDrive[],
      claimed: claimed as Array<{ signature: string }>,
    };
  };
  const first = await lockAndRead(early);
  let { tasks, drives } = first;
  const locked = new Map(tasks.map((t) => [t.taskId, t]));
  // As alone: an event of an unknown task is written only when it may create the task.
  const eligible = jobs.map((j) => locked.has(j.taskId) || j.options.ensureTask !== undefined);
  // The other receipts, of events whose task proved known, claimed now (still after the locks).
  // Of two copies of one callback in this batch, the first is applied.
  const late = jobs.flatMap((j, i) =>
    j.receipt && eligible[i] && j.options.ensureTask === undefined ? [j.receipt] : [],
  );
  const claimedRows = late.length
    ? [...first.claimed, ...(await CLAIM_RECEIPTS.run<{ signature: string }>(tx, claimParams(late)))]
    : first.claimed;
  const unclaimed = new Set(claimedRows.map((r) => r.signature));
  const applied = jobs.map((j, i) => {
    if (!eligible[i]) return false;
    if (!j.receipt) return true;
    return unclaimed.delete(j.receipt.signature);
  });
  // Tasks not known, or not tracked, are (again) when an applied event says to: only then, so
  // that a refused callback creates nothing.
  const ensure = new Map<string, string>();
  jobs.forEach((j, i) => {
    const t = locked.get(j.taskId);
    if (applied[i] && j.options.ensureTask && !t?.tracking && !ensure.has(j.taskId))
      ensure.set(j.taskId, j.options.ensureTask);
  });
  if (ensure.size) {
    const created = [...ensure].sort((a, b) => compareText(a[0], b[0]));
    await ENSURE_TASKS.run(tx, { taskIds: created.map((e) => e[0]), sources: created.map((e) => e[1]) });
    ({ tasks, drives } = await lockAndRead([]));
  }
  const known = new Map(tasks.map((t) => [t.taskId, t]));
  const events = jobs.filter((_, i) => applied[i]);
  const batch = planBatch(
    drives,
    events.map((j) => ({
      taskId: j.taskId,
      observed: j.observed,
      at: j.options.at.getTime(),
      source: j.options.source,
    })),
  );
  planned(batch);
  const changes = changesParams(batch);
  if (changes) await BATCH_CHANGES.run(tx, changes);
  const aggregates = aggregateParams(batch.outcomes, batch.typed, batch.durations);
  if (!noAggregates(aggregates)) await BATCH_AGGREGATES.run(tx, aggregates);
  // Each event's result, with its task's counts once the whole batch is written.
  const S = DRIVE_STATUS;
  const counts = (taskId: string) => {
    const t = known.get(taskId)!;
    const c = batch.counters.get(taskId) ?? { 1: 0, 2: 0, 3: 0, 4: 0 };
    const active = t.queued + c[S.queued] + t.playing + c[S.playing];
    return { active, total: active + t.failed + c[S.failed] + t.finished + c[S.finished] };
  };
  let next = 0;
  return jobs.map((j, i) => {
    if (!eligible[i]) return null;
    if (!applied[i]) return 'taken';
    return { plan: batch.plans[next++], ...counts(j.taskId) };
  });
}

/** A batch's drives, history and task counters as BATCH_CHANGES's values; null when there is nothing. */
function changesParams(batch: BatchWrite): ChangesParams | null {
  const { saved, history, touched } = batch;
  const S = DRIVE_STATUS;
  const counters = [...batch.counters].filter(
    ([, c]) => c[S.queued] || c[S.playing] || c[S.failed] || c[S.finished] || c.resolved,
  );
  if (!saved.length && !touched.length && !counters.length) return null;
  return {
    savedTaskIds: saved.map((d) => d.taskId),
    savedDriveIds: saved.map((d) => d.driveId),
    savedStatuses: saved.map((d) => d.status),
    savedFirstAt: saved.map((d) => new Date(d.firstAt)),
    savedChangedAt: saved.map((d) => new Date(d.changedAt)),
    savedQueuedAt: saved.map((d) => d.timings.queuedAt),
    savedPlayingAt: saved.map((d) => d.timings.playingAt),
    savedEndedAt: saved.map((d) => d.timings.endedAt),
    historyTaskIds: history.map((h) => h.taskId),
    historyDriveIds: history.map((h) => h.driveId),
    historyStatuses: history.map((h) => h.to),
    historyPrevious: history.map((h) => h.from),
    historyAt: history.map((h) => new Date(h.at)),
    historySources: history.map((h) => h.source),
    touchedTaskIds: touched.map((d) => d.taskId),
    touchedDriveIds: touched.map((d) => d.driveId),
    touchedQueuedAt: touched.map((d) => d.timings.queuedAt),
    touchedPlayingAt: touched.map((d) => d.timings.playingAt),
    touchedEndedAt: touched.map((d) => d.timings.endedAt),
    touchedReappearedAt: touched.map((d) => (d.reappearedAt === null ? null : new Date(d.reappearedAt))),
    counterTaskIds: counters.map(([taskId]) => taskId),
    queuedDeltas: counters.map(([, c]) => c[S.queued]),
    playingDeltas: counters.map(([, c]) => c[S.playing]),
    failedDeltas: counters.map(([, c]) => c[S.failed]),
    finishedDeltas: counters.map(([, c]) => c[S.finished]),
    resolved: counters.map(([, c]) => c.resolved),
  };
}
