import { Injectable } from '@nestjs/common';
import { PrismaService, SqlRunner } from '../database/prisma.service';
import { DriveStatusCode } from '../zego/zego.types';
import { CallbackReceipt, CallbackReceiptsRepository } from './callback-receipts.repository';
import { ObservedDrive, planTransitions, StoredDrive, TransitionPlan } from './drive-transitions';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { GroupCommit } from './group-commit';
import { BatchDrive, BatchWrite, planBatch } from './observation-batch';
import { DriveTimings, NO_TIMINGS, planTimings } from './durations';
import { BATCH_WRITE_MINUTE_CTES, REGISTRATION_MINUTE_CTE, SINGLE_WRITE_MINUTE_CTES } from './minute-aggregates';

export interface ObservationResult {
  plan: TransitionPlan;
  /** Drives of the task that are not yet terminal after this observation. */
  active: number;
  total: number;
  /** Drives this observation ended (not counting those already marked unresolved): for the metric. */
  ended?: { failed: number; finished: number };
}

/** What the producer of a drive (the service that asked ZEGO to speak) says about it. */
export interface DriveRegistration {
  driveId: string;
  type: string | null;
  requestId: string | null;
  submittedAt: Date | null;
}

export interface ObservationOptions {
  at: Date;
  source: 'poll' | 'callback' | 'producer' | 'client';
  complete: boolean;
  /** Polls: when the request was sent (a poll sent after the task ended is its last). */
  startedAt?: Date;
  nextPoll?: { active: Date; idle: Date };
  /** Create the task (tracked, with this source) when it is not known, or track it again. */
  ensureTask?: string;
  /** A producer's registration: its metadata is kept on the drive, in the same transaction. */
  registration?: DriveRegistration;
}

/** One observation to write (a callback's, with its receipt). */
export interface ObservationJob {
  taskId: string;
  observed: readonly ObservedDrive[];
  options: ObservationOptions;
  receipt?: CallbackReceipt;
}

/** A task's counters as the batch reads them. */
interface DriveCountsRow {
  queued: number;
  playing: number;
  failed: number;
  finished: number;
}

/** Thrown inside the write's transaction to roll it back when a callback's receipt was taken. */
class ReceiptTaken extends Error {}

/** A timestamp column as ms since the epoch (float8, exact for timestamptz(3)), and back. */
const EPOCH_MS = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;
const MS_TO_TIME = (ms: string) => `to_timestamp(${ms} / 1000)`;

/** The drive columns an observation writes, and what a status change of a known drive sets. */
const DRIVE_COLUMNS = `task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at, queued_at, playing_at, ended_at`;
const ON_DRIVE_CHANGE = `ON CONFLICT (task_id, drive_id) DO UPDATE SET
  status = EXCLUDED.status, status_changed_at = EXCLUDED.status_changed_at,
  last_seen_at = EXCLUDED.last_seen_at, missing_since = NULL, unresolved_at = NULL,
  queued_at = EXCLUDED.queued_at, playing_at = EXCLUDED.playing_at, ended_at = EXCLUDED.ended_at`;

/** Which cross-task aggregate shard a task's outcomes are added to. */
const SHARD = `(hashtext($1::text) & 15)::smallint`; // $1 is the task id in every statement that uses it
/** The hourly rows of minute-stamped deltas (the planned outcomes and histogram cells carry minutes). */
const HOUR_OF_MINUTE = `date_trunc('hour', minute, 'UTC')`;

/**
 * The write path of polls and callbacks: hand-written SQL on a pooled `pg` client, named prepared
 * statements, three round trips per observation (README, Performance: Prisma's interactive
 * transaction ran at 0.35 of the baseline, this at 0.6).
 */
@Injectable()
export class ObservationsRepository {
  /** Callbacks' writes, grouped into shared transactions (null: GROUP_COMMIT_MAX is 1). */
  private readonly batches: GroupCommit<ObservationJob, ObservationResult | 'duplicate' | 'reused' | null> | null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly receipts: CallbackReceiptsRepository,
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.batches =
      config.GROUP_COMMIT_MAX > 1
        ? new GroupCommit((jobs) => this.applyBatch(jobs), {
            max: config.GROUP_COMMIT_MAX,
            windowMs: config.GROUP_COMMIT_WINDOW_MS,
            concurrency: config.GROUP_COMMIT_CONCURRENCY,
          })
        : null;
  }

  /**
   * Records one observation of a task's drives. Status, history, hourly outcomes and the task's
   * counters change together in one transaction, under a lock on the task row, so a poll and a
   * callback for the same task can never interleave. After the lock, one statement reads the drives
   * concerned and one writes every change at once (data-modifying CTEs).
   * Observing what is already stored writes only the task's sync time.
   */
  async applyObservation(
    taskId: string,
    observed: readonly ObservedDrive[],
    options: ObservationOptions,
  ): Promise<ObservationResult | null> {
    return this.write(taskId, observed, options) as Promise<ObservationResult | null>;
  }

  /**
   * The same for a verified callback, with its receipt claimed in the same transaction: when the
   * receipt's signature was seen before, nothing is written and the answer says whether it was the
   * same body (`duplicate`) or another one (`reused`, a forgery). Callbacks arriving together share
   * one transaction (group commit, applyBatch); the answer comes once that has committed.
   */
  async applyCallback(
    taskId: string,
    observed: readonly ObservedDrive[],
    options: ObservationOptions,
    receipt: CallbackReceipt,
  ): Promise<ObservationResult | 'duplicate' | 'reused' | null> {
    if (this.batches) return this.batches.load({ taskId, observed, options, receipt });
    return this.write(taskId, observed, options, receipt);
  }

  /**
   * Several partial observations from one source (a client relay's messages), planned one after
   * another in the order given (the group commit's rules, planBatch) and written in one
   * transaction: all of them or none. No receipts. Resolves one result per job once committed.
   */
  async applyInOrder(jobs: readonly ObservationJob[]): Promise<Array<ObservationResult | null>> {
    if (!jobs.length) return [];
    let ended: BatchWrite['ended'] | undefined;
    const settled = await this.prisma.transaction((tx) => this.writeBatch(tx, jobs, (batch) => (ended = batch.ended)));
    if (ended) this.metrics.drivesEndedAfterCommit(ended);
    return settled.map((s) => (s === 'taken' ? null : s));
  }

  /**
   * Keeps a producer's metadata on its drive (what was set first stays). A drive that had already
   * ended without a type is added to the per-type aggregates now, at the hour and minute it ended.
   */
  private async keepRegistration(tx: SqlRunner, taskId: string, r: DriveRegistration): Promise<void> {
    await tx.query(
      `WITH old AS (
         SELECT id, drive_type, status, status_changed_at FROM drive WHERE task_id = $1 AND drive_id = $2 FOR UPDATE
       ), kept AS (
         UPDATE drive d SET drive_type = COALESCE(d.drive_type, $3), request_id = COALESCE(d.request_id, $4),
                submitted_at = COALESCE(d.submitted_at, $5)
         FROM old WHERE d.id = old.id
       ),${REGISTRATION_MINUTE_CTE}
       INSERT INTO drive_outcome_hourly_type AS o (drive_type, hour, failed, finished)
       SELECT $3, date_trunc('hour', old.status_changed_at, 'UTC'), (old.status = 3)::int, (old.status = 4)::int
       FROM old WHERE old.drive_type IS NULL AND $3::text IS NOT NULL AND old.status IN (3, 4)
       ON CONFLICT (drive_type, hour) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished`,
      [taskId, r.driveId, r.type, r.requestId, r.submittedAt],
    );
  }

  private async write(
    taskId: string,
    observed: readonly ObservedDrive[],
    options: ObservationOptions,
    receipt?: CallbackReceipt,
  ): Promise<ObservationResult | 'duplicate' | 'reused' | null> {
    return this.prisma
      .transaction((tx) => this.writeIn(tx, { taskId, observed, options, receipt }))
      .then((result) => {
        if (result?.ended) this.metrics.drivesEndedAfterCommit(result.ended);
        return result;
      })
      .catch(async (err: unknown) => {
        if (!(err instanceof ReceiptTaken)) throw err;
        return this.receipts.classifyTaken(receipt!);
      });
  }

  /**
   * One observation's write inside a transaction. Throws ReceiptTaken when a callback's receipt
   * was applied before (the caller rolls back).
   */
  private async writeIn(tx: SqlRunner, job: ObservationJob): Promise<ObservationResult | null> {
    const { taskId, observed, options, receipt } = job;
    const { at, source, complete } = options;
    // A partial observation (a callback) needs only the drives it names.
    const named = complete ? null : observed.map((o) => o.driveId);
    // Lock the task row, then read the drives concerned: two statements in one round trip. The
    // read must be a statement of its own, after the lock: in READ COMMITTED it then sees every
    // change committed by whoever held the lock before us (a join in the locking statement would not).
    const lockAndRead = async () => {
      const [lockedRows, driveRows] = await tx.queryText((literal) => [
        `SELECT tracking FROM task WHERE task_id = ${literal(taskId)} FOR UPDATE`,
        `SELECT drive_id AS "driveId", status::int AS status, missing_since IS NOT NULL AS missing,
                unresolved_at IS NOT NULL AS unresolved, ${EPOCH_MS('queued_at')} AS "queuedAt",
                ${EPOCH_MS('playing_at')} AS "playingAt", ${EPOCH_MS('ended_at')} AS "endedAt"
         FROM drive WHERE task_id = ${literal(taskId)}${named ? ` AND drive_id = ANY(ARRAY[${named.map(literal).join(', ')}]::text[])` : ''}`,
      ]);
      return {
        locked: lockedRows as Array<{ tracking: boolean }>,
        rows: driveRows as unknown as Array<
          { driveId: string; status: DriveStatusCode; missing: boolean; unresolved: boolean } & DriveTimings
        >,
      };
    };
    let { locked, rows } = await lockAndRead();
    if (options.ensureTask && (!locked.length || !locked[0].tracking)) {
      await tx.query(
        `INSERT INTO task (task_id, source) VALUES ($1, $2) ON CONFLICT (task_id) DO UPDATE SET tracking = true`,
        [taskId, options.ensureTask],
      );
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
    const d = plan.countDelta;
    const failed = plan.changes.filter((c) => c.to === 3).length;
    const finished = plan.changes.filter((c) => c.to === 4).length;
    const isPoll = source === 'poll';
    const [counts] = await tx.query<{
      active: number;
      total: number;
      claimed: number;
    }>(
      `WITH input AS (
       SELECT * FROM unnest($2::text[], $3::smallint[], $4::smallint[], $24::float8[], $25::float8[], $26::float8[])
                AS i(drive_id, status, previous_status, queued_at, playing_at, ended_at)
     ), saved AS (
       INSERT INTO drive AS d (${DRIVE_COLUMNS})
       SELECT $1::text, drive_id, status, $5::timestamptz, $5::timestamptz, $5::timestamptz,
              ${MS_TO_TIME('queued_at')}, ${MS_TO_TIME('playing_at')}, ${MS_TO_TIME('ended_at')} FROM input
       ${ON_DRIVE_CHANGE}
       RETURNING d.id, d.drive_id, d.drive_type
     ), history AS (
       INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source)
       SELECT saved.id, $1::text, input.status, input.previous_status, $5::timestamptz, $6::text FROM saved JOIN input USING (drive_id)
     ), outcome AS (
       INSERT INTO drive_outcome_hourly AS o (task_id, hour, failed, finished)
       SELECT $1::text, date_trunc('hour', $5::timestamptz, 'UTC'), $7::int, $8::int WHERE $7::int + $8::int > 0
       ON CONFLICT (task_id, hour) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
     ), outcome_all AS (
       INSERT INTO drive_outcome_hourly_shard AS o (hour, shard, failed, finished)
       SELECT date_trunc('hour', $5::timestamptz, 'UTC'), ${SHARD}, $7::int, $8::int WHERE $7::int + $8::int > 0
       ON CONFLICT (hour, shard) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
     ), outcome_type AS (
       INSERT INTO drive_outcome_hourly_type AS o (drive_type, hour, failed, finished)
       SELECT saved.drive_type, date_trunc('hour', $5::timestamptz, 'UTC'),
              count(*) FILTER (WHERE input.status = 3)::int, count(*) FILTER (WHERE input.status = 4)::int
       FROM saved JOIN input USING (drive_id)
       WHERE saved.drive_type IS NOT NULL AND input.status IN (3, 4) GROUP BY saved.drive_type
       ON CONFLICT (drive_type, hour) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
     ), receipt AS (
       -- A callback's receipt (none for a poll). It waits for a concurrent transaction holding
       -- the same signature and then inserts nothing: the caller rolls the whole write back.
       INSERT INTO callback_receipt (signature, timestamp, nonce, sent_at, body_sha256)
       SELECT $35::text, $19::text, $20::text, $21::timestamptz, $22::bytea WHERE $35::text IS NOT NULL
       ON CONFLICT (signature) DO NOTHING
       RETURNING 1
     ), vanished AS (
       UPDATE drive SET missing_since = $5::timestamptz WHERE task_id = $1::text AND drive_id = ANY($9::text[])
     ), reappeared AS (
       UPDATE drive SET missing_since = NULL, last_seen_at = $5::timestamptz
        WHERE task_id = $1::text AND drive_id = ANY($10::text[]) AND NOT drive_id = ANY($27::text[])
     ), retimed AS (
       -- An earlier report of a status a drive already has (it may also be one that reappeared).
       UPDATE drive d SET queued_at = ${MS_TO_TIME('r.queued_at')}, playing_at = ${MS_TO_TIME('r.playing_at')},
              ended_at = ${MS_TO_TIME('r.ended_at')},
              missing_since = CASE WHEN d.drive_id = ANY($10::text[]) THEN NULL ELSE d.missing_since END,
              last_seen_at = CASE WHEN d.drive_id = ANY($10::text[]) THEN $5::timestamptz ELSE d.last_seen_at END
         FROM unnest($27::text[], $28::float8[], $29::float8[], $30::float8[]) AS r(drive_id, queued_at, playing_at, ended_at)
        WHERE d.task_id = $1::text AND d.drive_id = r.drive_id
     ), durations AS (
       INSERT INTO drive_duration_hourly AS h (task_id, metric, hour, bucket, drives)
       SELECT $1::text, metric, ${HOUR_OF_MINUTE}, bucket, sum(drives)::int
         FROM unnest($31::smallint[], $32::timestamptz[], $33::smallint[], $34::int[]) AS c(metric, minute, bucket, drives)
        GROUP BY 1, 2, 3, 4 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3, 4
       ON CONFLICT (task_id, metric, hour, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
     ), durations_all AS (
       INSERT INTO drive_duration_hourly_all AS h (metric, hour, bucket, drives)
       SELECT metric, ${HOUR_OF_MINUTE}, bucket, sum(drives)::int
         FROM unnest($31::smallint[], $32::timestamptz[], $33::smallint[], $34::int[]) AS c(metric, minute, bucket, drives)
        GROUP BY 1, 2, 3 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3
       ON CONFLICT (metric, hour, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
     ),${SINGLE_WRITE_MINUTE_CTES}
     UPDATE task SET
       queued = queued + $11::int, playing = playing + $12::int, failed = failed + $13::int, finished = finished + $14::int,
       unresolved = unresolved - $23::int,
       last_synced_at = CASE WHEN $15::boolean THEN $5::timestamptz ELSE last_synced_at END,
       last_sync_error = CASE WHEN $15::boolean THEN NULL ELSE last_sync_error END,
       failure_streak = CASE WHEN $15::boolean THEN 0 ELSE failure_streak END,
       ended_at = CASE
         WHEN $15::boolean AND final_poll_after IS NOT NULL AND $16::timestamptz > final_poll_after THEN COALESCE(ended_at, $5::timestamptz)
         ELSE ended_at END,
       -- A task with nothing left to play is polled less often; one without drives yet is not idle.
       next_poll_at = CASE
         WHEN $17::timestamptz IS NULL THEN next_poll_at
         WHEN queued + $11::int + playing + $12::int > 0 OR queued + playing + failed + finished + $11::int + $12::int + $13::int + $14::int = 0 THEN $17::timestamptz
         ELSE $18::timestamptz END
     WHERE task_id = $1::text
     RETURNING queued + playing AS active, queued + playing + failed + finished AS total,
       (SELECT count(*) FROM receipt)::int AS claimed`,
      [
        taskId,
        plan.changes.map((c) => c.driveId),
        plan.changes.map((c) => c.to),
        plan.changes.map((c) => c.from),
        at,
        source,
        failed,
        finished,
        plan.vanished,
        plan.reappeared,
        d[1],
        d[2],
        d[3],
        d[4],
        isPoll,
        options.startedAt ?? at,
        options.nextPoll?.active ?? null,
        options.nextPoll?.idle ?? null,
        receipt?.timestamp ?? null,
        receipt?.nonce ?? null,
        receipt?.sentAt ?? null,
        receipt?.bodySha256 ?? null,
        resolved,
        changeTimings.map((t) => t.queuedAt),
        changeTimings.map((t) => t.playingAt),
        changeTimings.map((t) => t.endedAt),
        retimed.map(([driveId]) => driveId),
        retimed.map(([, t]) => t.queuedAt),
        retimed.map(([, t]) => t.playingAt),
        retimed.map(([, t]) => t.endedAt),
        timed.deltas.map((c) => c.metric),
        timed.deltas.map((c) => new Date(c.minute)),
        timed.deltas.map((c) => c.bucket),
        timed.deltas.map((c) => c.drives),
        receipt?.signature ?? null,
      ],
      'observation-write',
    );
    // The pair was applied before: undo this write (ROLLBACK) and say why.
    if (receipt && !counts.claimed) throw new ReceiptTaken();
    if (options.registration) await this.keepRegistration(tx, taskId, options.registration);
    const fresh = plan.changes.filter((c) => !unresolvedIds.has(c.driveId));
    const ended = { failed: fresh.filter((c) => c.to === 3).length, finished: fresh.filter((c) => c.to === 4).length };
    return { plan, active: counts.active, total: counts.total, ended };
  }

  /**
   * Group commit: several callbacks' observations written in one transaction, in a handful of
   * statements whatever their number. The tasks are locked in task order (as every writer locks
   * them, so two batches never deadlock), missing tasks created, the receipts claimed, then every
   * event is planned as if written alone, one after another (planBatch: the same rules), and the
   * sum of their writes goes out in one statement, aggregates in key order in a second. An event
   * whose receipt was taken (the same callback earlier, or twice in this batch) has no effect and
   * is classified after the commit. When the batch fails as a whole (any event's statement, the
   * connection, the commit), each event is written on its own, so only a failing one fails.
   * Resolves one result (or error) per job, in the order given, once committed.
   */
  async applyBatch(
    jobs: readonly ObservationJob[],
  ): Promise<Array<ObservationResult | 'duplicate' | 'reused' | null | Error>> {
    this.metrics.groupCommitBatch.observe(jobs.length);
    let settled: Array<ObservationResult | null | 'taken'>;
    try {
      let ended: BatchWrite['ended'] | undefined;
      settled = await this.prisma.transaction((tx) => this.writeBatch(tx, jobs, (batch) => (ended = batch.ended)));
      if (ended) this.metrics.drivesEndedAfterCommit(ended);
    } catch {
      return Promise.all(
        jobs.map((j) => this.write(j.taskId, j.observed, j.options, j.receipt).catch((err: unknown) => asError(err))),
      );
    }
    return Promise.all(
      settled.map(async (s, i) =>
        s === 'taken' ? this.receipts.classifyTaken(jobs[i].receipt!).catch((err: unknown) => asError(err)) : s,
      ),
    );
  }

  private async writeBatch(
    tx: SqlRunner,
    jobs: readonly ObservationJob[],
    planned: (batch: BatchWrite) => void,
  ): Promise<Array<ObservationResult | null | 'taken'>> {
    const taskIds = [...new Set(jobs.map((j) => j.taskId))].sort(compareText);
    const pairs = jobs.flatMap((j) => j.observed.map((o) => [j.taskId, o.driveId] as const));
    const lockAndRead = async () => {
      const [tasks, drives] = await tx.queryText((literal) => [
        `SELECT task_id AS "taskId", tracking, queued, playing, failed, finished FROM task
          WHERE task_id = ANY(ARRAY[${taskIds.map(literal).join(', ')}]::text[]) ORDER BY task_id FOR UPDATE`,
        `SELECT task_id AS "taskId", drive_id AS "driveId", status::int AS status, missing_since IS NOT NULL AS missing,
                unresolved_at IS NOT NULL AS unresolved, drive_type AS "driveType", ${EPOCH_MS('queued_at')} AS "queuedAt",
                ${EPOCH_MS('playing_at')} AS "playingAt", ${EPOCH_MS('ended_at')} AS "endedAt"
           FROM drive WHERE (task_id, drive_id) IN (${pairs.map(([t, d]) => `(${literal(t)}, ${literal(d)})`).join(', ')})`,
      ]);
      return {
        tasks: tasks as unknown as Array<{ taskId: string; tracking: boolean } & DriveCountsRow>,
        drives: drives as unknown as BatchDrive[],
      };
    };
    let { tasks, drives } = await lockAndRead();
    const locked = new Map(tasks.map((t) => [t.taskId, t]));
    // As alone: an event of an unknown task is written only when it may create the task.
    const eligible = jobs.map((j) => locked.has(j.taskId) || j.options.ensureTask !== undefined);
    // Receipts, claimed after the task locks (as in the single write). Of two copies of one callback
    // in this batch, the first is applied.
    const withReceipt = jobs.filter((j, i) => j.receipt && eligible[i]);
    const claimedRows = withReceipt.length
      ? await tx.query<{ signature: string }>(
          `INSERT INTO callback_receipt (signature, timestamp, nonce, sent_at, body_sha256)
           SELECT g, t, n, s, b FROM unnest($5::text[], $1::text[], $2::text[], $3::timestamptz[], $4::bytea[]) AS r(g, t, n, s, b)
           ORDER BY g ON CONFLICT (signature) DO NOTHING RETURNING signature`,
          [
            withReceipt.map((j) => j.receipt!.timestamp),
            withReceipt.map((j) => j.receipt!.nonce),
            withReceipt.map((j) => j.receipt!.sentAt),
            withReceipt.map((j) => j.receipt!.bodySha256),
            withReceipt.map((j) => j.receipt!.signature),
          ],
        )
      : [];
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
      await tx.query(
        `INSERT INTO task (task_id, source) SELECT t, s FROM unnest($1::text[], $2::text[]) AS x(t, s) ORDER BY t
         ON CONFLICT (task_id) DO UPDATE SET tracking = true`,
        [created.map((e) => e[0]), created.map((e) => e[1])],
      );
      ({ tasks, drives } = await lockAndRead());
    }
    const known = new Map(tasks.map((t) => [t.taskId, t]));
    const events = jobs.filter((_, i) => applied[i]);
    const batch = planBatch(
      drives,
      events.map((j) => ({ taskId: j.taskId, observed: j.observed, at: j.options.at.getTime() })),
    );
    planned(batch);
    await this.writeBatchChanges(tx, batch, events[0]?.options.source ?? 'callback');
    await this.writeAggregates(tx, batch.outcomes, batch.typed, batch.durations);
    // Each event's result, with its task's counts once the whole batch is written.
    const counts = (taskId: string) => {
      const t = known.get(taskId)!;
      const c = batch.counters.get(taskId) ?? { 1: 0, 2: 0, 3: 0, 4: 0 };
      const active = t.queued + c[1] + t.playing + c[2];
      return { active, total: active + t.failed + c[3] + t.finished + c[4] };
    };
    let next = 0;
    return jobs.map((j, i) => {
      if (!eligible[i]) return null;
      if (!applied[i]) return 'taken';
      return { plan: batch.plans[next++], ...counts(j.taskId) };
    });
  }

  /** A batch's drives, history and task counters, in one statement of data-modifying CTEs. */
  private async writeBatchChanges(tx: SqlRunner, batch: BatchWrite, source: string): Promise<void> {
    const { saved, history, touched } = batch;
    const counters = [...batch.counters].filter(([, c]) => c[1] || c[2] || c[3] || c[4] || c.resolved);
    if (!saved.length && !touched.length && !counters.length) return;
    await tx.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::timestamptz[], $5::timestamptz[],
                              $6::float8[], $7::float8[], $8::float8[])
                  AS i(task_id, drive_id, status, first_at, changed_at, queued_at, playing_at, ended_at)
       ), saved AS (
         INSERT INTO drive AS d (${DRIVE_COLUMNS})
         SELECT task_id, drive_id, status, first_at, changed_at, changed_at,
                ${MS_TO_TIME('queued_at')}, ${MS_TO_TIME('playing_at')}, ${MS_TO_TIME('ended_at')}
           FROM input ORDER BY task_id, drive_id
         ${ON_DRIVE_CHANGE}
         RETURNING d.id, d.task_id, d.drive_id
       ), history AS (
         INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source)
         SELECT saved.id, h.task_id, h.status, h.previous_status, h.at, $20::text
           FROM unnest($9::text[], $10::text[], $11::smallint[], $12::smallint[], $13::timestamptz[]) WITH ORDINALITY
                AS h(task_id, drive_id, status, previous_status, at, ord)
           JOIN saved USING (task_id, drive_id) ORDER BY h.ord
       ), touched AS (
         UPDATE drive d SET queued_at = ${MS_TO_TIME('r.queued_at')}, playing_at = ${MS_TO_TIME('r.playing_at')},
                ended_at = ${MS_TO_TIME('r.ended_at')},
                missing_since = CASE WHEN r.reappeared_at IS NULL THEN d.missing_since END,
                last_seen_at = COALESCE(r.reappeared_at, d.last_seen_at)
           FROM unnest($14::text[], $15::text[], $16::float8[], $17::float8[], $18::float8[], $19::timestamptz[])
                AS r(task_id, drive_id, queued_at, playing_at, ended_at, reappeared_at)
          WHERE d.task_id = r.task_id AND d.drive_id = r.drive_id
       )
       UPDATE task t SET queued = t.queued + c.q, playing = t.playing + c.p, failed = t.failed + c.f,
              finished = t.finished + c.d, unresolved = t.unresolved - c.r
         FROM unnest($21::text[], $22::int[], $23::int[], $24::int[], $25::int[], $26::int[]) AS c(task_id, q, p, f, d, r)
        WHERE t.task_id = c.task_id`,
      [
        saved.map((d) => d.taskId),
        saved.map((d) => d.driveId),
        saved.map((d) => d.status),
        saved.map((d) => new Date(d.firstAt)),
        saved.map((d) => new Date(d.changedAt)),
        saved.map((d) => d.timings.queuedAt),
        saved.map((d) => d.timings.playingAt),
        saved.map((d) => d.timings.endedAt),
        history.map((h) => h.taskId),
        history.map((h) => h.driveId),
        history.map((h) => h.to),
        history.map((h) => h.from),
        history.map((h) => new Date(h.at)),
        touched.map((d) => d.taskId),
        touched.map((d) => d.driveId),
        touched.map((d) => d.timings.queuedAt),
        touched.map((d) => d.timings.playingAt),
        touched.map((d) => d.timings.endedAt),
        touched.map((d) => (d.reappearedAt === null ? null : new Date(d.reappearedAt))),
        source,
        counters.map(([taskId]) => taskId),
        counters.map(([, c]) => c[1]),
        counters.map(([, c]) => c[2]),
        counters.map(([, c]) => c[3]),
        counters.map(([, c]) => c[4]),
        counters.map(([, c]) => c.resolved),
      ],
      'observation-batch-write',
    );
  }

  /**
   * A batch's hourly and minute aggregates, summed per row and written in key order, table after table in the
   * order of the single write's CTEs, so that writers never wait on each other in a circle.
   */
  private async writeAggregates(
    tx: SqlRunner,
    ended: BatchWrite['outcomes'],
    typed: BatchWrite['typed'],
    durations: BatchWrite['durations'],
  ): Promise<void> {
    if (!ended.length && !typed.length && !durations.length) return;
    await tx.query(
      `WITH outcome AS (
         INSERT INTO drive_outcome_hourly AS o (task_id, hour, failed, finished)
         SELECT task_id, ${HOUR_OF_MINUTE}, sum(failed)::int, sum(finished)::int
           FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[]) AS x(task_id, minute, failed, finished)
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (task_id, hour) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       ), outcome_all AS (
         INSERT INTO drive_outcome_hourly_shard AS o (hour, shard, failed, finished)
         SELECT ${HOUR_OF_MINUTE}, (hashtext(task_id) & 15)::smallint, sum(failed)::int, sum(finished)::int
           FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[]) AS x(task_id, minute, failed, finished)
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (hour, shard) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       ), outcome_type AS (
         INSERT INTO drive_outcome_hourly_type AS o (drive_type, hour, failed, finished)
         SELECT drive_type, ${HOUR_OF_MINUTE}, count(*) FILTER (WHERE status = 3)::int, count(*) FILTER (WHERE status = 4)::int
           FROM unnest($5::text[], $6::timestamptz[], $7::smallint[]) AS x(drive_type, minute, status)
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (drive_type, hour) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       ), durations AS (
         INSERT INTO drive_duration_hourly AS h (task_id, metric, hour, bucket, drives)
         SELECT task_id, metric, ${HOUR_OF_MINUTE}, bucket, sum(drives)::int
           FROM unnest($8::text[], $9::smallint[], $10::timestamptz[], $11::smallint[], $12::int[]) AS c(task_id, metric, minute, bucket, drives)
          GROUP BY 1, 2, 3, 4 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3, 4
         ON CONFLICT (task_id, metric, hour, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
       ), durations_all AS (
         INSERT INTO drive_duration_hourly_all AS h (metric, hour, bucket, drives)
         SELECT metric, ${HOUR_OF_MINUTE}, bucket, sum(drives)::int
           FROM unnest($9::smallint[], $10::timestamptz[], $11::smallint[], $12::int[]) AS c(metric, minute, bucket, drives)
          GROUP BY 1, 2, 3 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3
         ON CONFLICT (metric, hour, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
       ),${BATCH_WRITE_MINUTE_CTES}
       SELECT 1`,
      [
        ended.map((a) => a.taskId),
        ended.map((a) => new Date(a.minute)),
        ended.map((a) => a.failed),
        ended.map((a) => a.finished),
        typed.map((t) => t.type),
        typed.map((t) => new Date(t.minute)),
        typed.map((t) => t.status),
        durations.map((d) => d.taskId),
        durations.map((d) => d.metric),
        durations.map((d) => new Date(d.minute)),
        durations.map((d) => d.bucket),
        durations.map((d) => d.drives),
      ],
      'observation-aggregates',
    );
  }
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
