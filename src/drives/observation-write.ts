import type { SqlRunner } from '../database/prisma.service';
import { inlineStatement, join, raw, sql, statement } from '../database/sql';
import { DRIVE_STATUS, DriveStatusCode, isTerminal, TerminalDriveStatus } from '../zego/zego.types';
import { AggregateParams, aggregateParams, aggregateSteps, GRAINS } from './drive-aggregates';
import { DRIVE_COLUMNS, msToTime, ON_DRIVE_CHANGE, STORED_DRIVE } from './drive-sql';
import { planTransitions, StoredDrive } from './drive-transitions';
import { MINUTE_MS, NO_TIMINGS, planTimings } from './durations';
import type { BatchDrive } from './observation-batch';
import { DriveRegistration, ObservationJob, ObservationResult, ReceiptTaken } from './observation.types';

/**
 * One observation's write (a poll's, or a callback's when not grouped): the task row locked, the
 * drives concerned read, and every change written by one statement of data-modifying CTEs; three
 * round trips in all (README, Performance: Prisma's interactive transaction ran at 0.35 of the
 * baseline, this at 0.6).
 */

const FAILED = raw(DRIVE_STATUS.failed);
const FINISHED = raw(DRIVE_STATUS.finished);

/** The task's lock. Sent with the read below in one round trip (simple protocol, values inlined). */
const LOCK_TASK = inlineStatement<{ taskId: string }>(
  'observation-lock-task',
  (p) => sql`SELECT tracking FROM task WHERE task_id = ${p.taskId} FOR UPDATE`,
);
/** A poll's read: every drive of the task. */
const READ_DRIVES = inlineStatement<{ taskId: string }>(
  'observation-read-drives',
  (p) => sql`SELECT ${STORED_DRIVE} FROM drive WHERE task_id = ${p.taskId}`,
);
/** A callback's read: only the drives it names. */
const READ_NAMED_DRIVES = inlineStatement<{ taskId: string; driveIds: string[] }>(
  'observation-read-named-drives',
  (p) => sql`SELECT ${STORED_DRIVE} FROM drive
              WHERE task_id = ${p.taskId} AND drive_id = ANY(ARRAY[${p.driveIds}]::text[])`,
);

const ENSURE_TASK = statement<{ taskId: string; source: string }>(
  'observation-ensure-task',
  (p) => sql`INSERT INTO task (task_id, source) VALUES (${p.taskId}, ${p.source})
             ON CONFLICT (task_id) DO UPDATE SET tracking = true`,
);

interface WriteParams extends AggregateParams {
  taskId: string;
  at: Date;
  source: string;
  /** Drives whose status changes: new status, old status (null: new drive), new timings. */
  changedIds: string[];
  changedStatuses: DriveStatusCode[];
  previousStatuses: Array<DriveStatusCode | null>;
  changedQueuedAt: Array<number | null>;
  changedPlayingAt: Array<number | null>;
  changedEndedAt: Array<number | null>;
  vanished: string[];
  reappeared: string[];
  /** Drives whose timings change without a status change. */
  retimedIds: string[];
  retimedQueuedAt: Array<number | null>;
  retimedPlayingAt: Array<number | null>;
  retimedEndedAt: Array<number | null>;
  /** Change of the task's counters; `resolved` marks of unresolved drives cleared. */
  queuedDelta: number;
  playingDelta: number;
  failedDelta: number;
  finishedDelta: number;
  resolved: number;
  isPoll: boolean;
  startedAt: Date;
  nextActive: Date | null;
  nextIdle: Date | null;
  receiptSignature: string | null;
  receiptTimestamp: string | null;
  receiptNonce: string | null;
  receiptSentAt: Date | null;
  receiptBody: Buffer | null;
}

/** Everything one observation changes, with the task's counts after it. */
const OBSERVATION_WRITE = statement<WriteParams>(
  'observation-write',
  (p) => sql`WITH input AS (
       SELECT * FROM unnest(${p.changedIds}::text[], ${p.changedStatuses}::smallint[], ${p.previousStatuses}::smallint[],
                            ${p.changedQueuedAt}::float8[], ${p.changedPlayingAt}::float8[], ${p.changedEndedAt}::float8[])
                AS i(drive_id, status, previous_status, queued_at, playing_at, ended_at)
     ), saved AS (
       INSERT INTO drive AS d (${DRIVE_COLUMNS})
       SELECT ${p.taskId}::text, drive_id, status, ${p.at}::timestamptz, ${p.at}::timestamptz, ${p.at}::timestamptz,
              ${msToTime('queued_at')}, ${msToTime('playing_at')}, ${msToTime('ended_at')} FROM input
       ${ON_DRIVE_CHANGE}
       RETURNING d.id, d.drive_id
     ), history AS (
       INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source)
       SELECT saved.id, ${p.taskId}::text, input.status, input.previous_status, ${p.at}::timestamptz, ${p.source}::text
         FROM saved JOIN input USING (drive_id)
     ), receipt AS (
       -- A callback's receipt (none for a poll). It waits for a concurrent transaction holding
       -- the same signature and then inserts nothing: the caller rolls the whole write back.
       INSERT INTO callback_receipt (signature, timestamp, nonce, sent_at, body_sha256)
       SELECT ${p.receiptSignature}::text, ${p.receiptTimestamp}::text, ${p.receiptNonce}::text,
              ${p.receiptSentAt}::timestamptz, ${p.receiptBody}::bytea
        WHERE ${p.receiptSignature}::text IS NOT NULL
       ON CONFLICT (signature) DO NOTHING
       RETURNING 1
     ), vanished AS (
       UPDATE drive SET missing_since = ${p.at}::timestamptz
        WHERE task_id = ${p.taskId}::text AND drive_id = ANY(${p.vanished}::text[])
     ), reappeared AS (
       UPDATE drive SET missing_since = NULL, last_seen_at = ${p.at}::timestamptz
        WHERE task_id = ${p.taskId}::text AND drive_id = ANY(${p.reappeared}::text[]) AND NOT drive_id = ANY(${p.retimedIds}::text[])
     ), retimed AS (
       -- An earlier report of a status a drive already has (it may also be one that reappeared).
       UPDATE drive d SET queued_at = ${msToTime('r.queued_at')}, playing_at = ${msToTime('r.playing_at')},
              ended_at = ${msToTime('r.ended_at')},
              missing_since = CASE WHEN d.drive_id = ANY(${p.reappeared}::text[]) THEN NULL ELSE d.missing_since END,
              last_seen_at = CASE WHEN d.drive_id = ANY(${p.reappeared}::text[]) THEN ${p.at}::timestamptz ELSE d.last_seen_at END
         FROM unnest(${p.retimedIds}::text[], ${p.retimedQueuedAt}::float8[], ${p.retimedPlayingAt}::float8[],
                     ${p.retimedEndedAt}::float8[]) AS r(drive_id, queued_at, playing_at, ended_at)
        WHERE d.task_id = ${p.taskId}::text AND d.drive_id = r.drive_id
     ), ${aggregateSteps(p)}
     UPDATE task SET
       queued = queued + ${p.queuedDelta}::int, playing = playing + ${p.playingDelta}::int,
       failed = failed + ${p.failedDelta}::int, finished = finished + ${p.finishedDelta}::int,
       unresolved = unresolved - ${p.resolved}::int,
       last_synced_at = CASE WHEN ${p.isPoll}::boolean THEN ${p.at}::timestamptz ELSE last_synced_at END,
       last_sync_error = CASE WHEN ${p.isPoll}::boolean THEN NULL ELSE last_sync_error END,
       failure_streak = CASE WHEN ${p.isPoll}::boolean THEN 0 ELSE failure_streak END,
       ended_at = CASE
         WHEN ${p.isPoll}::boolean AND final_poll_after IS NOT NULL AND ${p.startedAt}::timestamptz > final_poll_after
         THEN COALESCE(ended_at, ${p.at}::timestamptz)
         ELSE ended_at END,
       -- A task with nothing left to play is polled less often; one without drives yet is not idle.
       next_poll_at = CASE
         WHEN ${p.nextActive}::timestamptz IS NULL THEN next_poll_at
         WHEN queued + ${p.queuedDelta}::int + playing + ${p.playingDelta}::int > 0
           OR queued + playing + failed + finished + ${p.queuedDelta}::int + ${p.playingDelta}::int
              + ${p.failedDelta}::int + ${p.finishedDelta}::int = 0
         THEN ${p.nextActive}::timestamptz
         ELSE ${p.nextIdle}::timestamptz END
     WHERE task_id = ${p.taskId}::text
     RETURNING queued + playing AS active, queued + playing + failed + finished AS total,
       (SELECT count(*) FROM receipt)::int AS claimed`,
  { prepared: true },
);

/**
 * A producer's metadata kept on its drive (what was set first stays). A drive that had already
 * ended without a type is added to the per-type aggregates now, at the hour and minute it ended.
 */
const KEEP_REGISTRATION = statement<{
  taskId: string;
  driveId: string;
  type: string | null;
  requestId: string | null;
  submittedAt: Date | null;
}>(
  'observation-keep-registration',
  (p) => sql`WITH old AS (
         SELECT id, drive_type, status, status_changed_at FROM drive
          WHERE task_id = ${p.taskId} AND drive_id = ${p.driveId} FOR UPDATE
       ), kept AS (
         UPDATE drive d SET drive_type = COALESCE(d.drive_type, ${p.type}), request_id = COALESCE(d.request_id, ${p.requestId}),
                submitted_at = COALESCE(d.submitted_at, ${p.submittedAt})
         FROM old WHERE d.id = old.id
       ), ${join(
         GRAINS.map(
           (g) => sql`typed_${raw(g.grain)} AS (
         INSERT INTO drive_outcome_${raw(g.table)}_type AS o (drive_type, ${raw(g.column)}, failed, finished)
         SELECT ${p.type}, ${raw(g.of("date_trunc('minute', old.status_changed_at, 'UTC')"))},
                (old.status = ${FAILED})::int, (old.status = ${FINISHED})::int
         FROM old WHERE old.drive_type IS NULL AND ${p.type}::text IS NOT NULL AND old.status IN (${FAILED}, ${FINISHED})
         ON CONFLICT (drive_type, ${raw(g.column)})
         DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       )`,
         ),
         ', ',
       )}
       SELECT 1`,
);

type StoredRow = Omit<BatchDrive, 'taskId'>;

/**
 * One observation's write inside a transaction. Throws ReceiptTaken when a callback's receipt
 * was applied before (the caller rolls back).
 */
export async function writeObservation(tx: SqlRunner, job: ObservationJob): Promise<ObservationResult | null> {
  const { taskId, observed, options, receipt } = job;
  const { at, source, complete } = options;
  // A partial observation (a callback) needs only the drives it names.
  const named = complete ? null : observed.map((o) => o.driveId);
  // Lock the task row, then read the drives concerned: two statements in one round trip. The
  // read must be a statement of its own, after the lock: in READ COMMITTED it then sees every
  // change committed by whoever held the lock before us (a join in the locking statement would not).
  const lockAndRead = async () => {
    const [lockedRows, driveRows] = await tx.queryText((literal) => [
      LOCK_TASK.render({ taskId }, literal),
      named ? READ_NAMED_DRIVES.render({ taskId, driveIds: named }, literal) : READ_DRIVES.render({ taskId }, literal),
    ]);
    return { locked: lockedRows as Array<{ tracking: boolean }>, rows: driveRows as unknown as StoredRow[] };
  };
  let { locked, rows } = await lockAndRead();
  if (options.ensureTask && (!locked.length || !locked[0].tracking)) {
    await ENSURE_TASK.run(tx, { taskId, source: options.ensureTask });
    ({ locked, rows } = await lockAndRead());
  }
  if (!locked.length) return null;
  const stored = new Map<string, StoredDrive>(rows.map((r) => [r.driveId, r]));
  const plan = planTransitions(stored, observed, complete);
  const storedTimings = new Map(rows.map((r) => [r.driveId, { status: r.status, timings: r }]));
  const timed = planTimings(storedTimings, observed, plan, at.getTime());
  const timingsOf = (driveId: string) =>
    timed.timings.get(driveId) ?? storedTimings.get(driveId)?.timings ?? NO_TIMINGS;
  // Drives whose timings change without a status change (an earlier report of a status).
  const changedIds = new Set(plan.changes.map((c) => c.driveId));
  const retimed = [...timed.timings].filter(([driveId]) => !changedIds.has(driveId));
  const changeTimings = plan.changes.map((c) => timingsOf(c.driveId));
  // A change of an unresolved drive clears its mark (in the CTE), and the task's counter with it.
  const unresolvedIds = new Set(rows.filter((r) => r.unresolved).map((r) => r.driveId));
  const resolved = plan.changes.filter((c) => unresolvedIds.has(c.driveId)).length;
  const ends = plan.changes.filter((c) => isTerminal(c.to));
  const failed = ends.filter((c) => c.to === DRIVE_STATUS.failed).length;
  // The aggregates' deltas, in the batch's shape (the same steps write them).
  const minute = at.getTime() - (at.getTime() % MINUTE_MS);
  const typeOf = new Map(rows.map((r) => [r.driveId, r.driveType]));
  const aggregates = aggregateParams(
    ends.length ? [{ taskId, minute, failed, finished: ends.length - failed }] : [],
    ends.flatMap((c) => {
      const type = typeOf.get(c.driveId);
      return type ? [{ type, minute, status: c.to as TerminalDriveStatus }] : [];
    }),
    timed.deltas.map((delta) => ({ ...delta, taskId })),
  );
  const d = plan.countDelta;
  const [counts] = await OBSERVATION_WRITE.run<{ active: number; total: number; claimed: number }>(tx, {
    ...aggregates,
    taskId,
    at,
    source,
    changedIds: plan.changes.map((c) => c.driveId),
    changedStatuses: plan.changes.map((c) => c.to),
    previousStatuses: plan.changes.map((c) => c.from),
    changedQueuedAt: changeTimings.map((t) => t.queuedAt),
    changedPlayingAt: changeTimings.map((t) => t.playingAt),
    changedEndedAt: changeTimings.map((t) => t.endedAt),
    vanished: plan.vanished,
    reappeared: plan.reappeared,
    retimedIds: retimed.map(([driveId]) => driveId),
    retimedQueuedAt: retimed.map(([, t]) => t.queuedAt),
    retimedPlayingAt: retimed.map(([, t]) => t.playingAt),
    retimedEndedAt: retimed.map(([, t]) => t.endedAt),
    queuedDelta: d[DRIVE_STATUS.queued],
    playingDelta: d[DRIVE_STATUS.playing],
    failedDelta: d[DRIVE_STATUS.failed],
    finishedDelta: d[DRIVE_STATUS.finished],
    resolved,
    isPoll: source === 'poll',
    startedAt: options.startedAt ?? at,
    nextActive: options.nextPoll?.active ?? null,
    nextIdle: options.nextPoll?.idle ?? null,
    receiptSignature: receipt?.signature ?? null,
    receiptTimestamp: receipt?.timestamp ?? null,
    receiptNonce: receipt?.nonce ?? null,
    receiptSentAt: receipt?.sentAt ?? null,
    receiptBody: receipt?.bodySha256 ?? null,
  });
  // The pair was applied before: undo this write (ROLLBACK) and say why.
  if (receipt && !counts.claimed) throw new ReceiptTaken();
  if (options.registration) await keepRegistration(tx, taskId, options.registration);
  const fresh = ends.filter((c) => !unresolvedIds.has(c.driveId));
  const freshFailed = fresh.filter((c) => c.to === DRIVE_STATUS.failed).length;
  return {
    plan,
    active: counts.active,
    total: counts.total,
    ended: { failed: freshFailed, finished: fresh.length - freshFailed },
  };
}

async function keepRegistration(tx: SqlRunner, taskId: string, r: DriveRegistration): Promise<void> {
  const { driveId, type, requestId, submittedAt } = r;
  await KEEP_REGISTRATION.run(tx, { taskId, driveId, type, requestId, submittedAt });
}
