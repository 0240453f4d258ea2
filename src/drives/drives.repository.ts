import { Injectable } from '@nestjs/common';
import { ISO_TIMESTAMPS } from '../database/iso-timestamps';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { DriveStatusCode } from '../zego/zego.types';
import { ObservedDrive, planTransitions, StoredDrive, TransitionPlan } from './drive-transitions';

/** A task's drives per current status (kept on the task row, in step with the drives). */
export interface DriveCounts {
  queued: number;
  playing: number;
  failed: number;
  finished: number;
}

export interface TaskRow extends DriveCounts {
  taskId: string;
  tracking: boolean;
  source: string;
  createdAt: Date;
  lastSyncedAt: Date | null;
  lastSyncError: string | null;
  endedAt: Date | null;
  taskStatus: number | null;
  failReason: string | null;
  roomId: string | null;
  streamId: string | null;
  upstreamCreatedAt: Date | null;
}

/** A drive as the API reads it: timestamps already ISO-8601 strings (see database/iso-timestamps.ts). */
export interface DriveRow {
  /** The row's bigint key, as text: only ever used in a cursor. */
  id: string;
  driveId: string;
  taskId: string;
  status: DriveStatusCode;
  firstSeenAt: string;
  statusChangedAt: string;
  lastSeenAt: string;
}

export interface HistoryRow {
  status: DriveStatusCode;
  previousStatus: DriveStatusCode | null;
  observedAt: Date;
  source: string;
}

/** One entry of a drive's history as the API reads it (observedAt already ISO-8601). */
export type DriveHistoryRow = Omit<HistoryRow, 'observedAt'> & { observedAt: string };

export interface OutcomeRow {
  hour: Date;
  failed: number;
  finished: number;
}

export interface DueTask {
  taskId: string;
  failureStreak: number;
}

export interface ObservationResult {
  plan: TransitionPlan;
  /** Drives of the task that are not yet terminal after this observation. */
  active: number;
  total: number;
}

const TASK_COLUMNS = `task_id AS "taskId", tracking, source, created_at AS "createdAt",
  last_synced_at AS "lastSyncedAt", last_sync_error AS "lastSyncError", ended_at AS "endedAt",
  task_status::int AS "taskStatus", fail_reason AS "failReason", room_id AS "roomId", stream_id AS "streamId",
  upstream_created_at AS "upstreamCreatedAt", queued, playing, failed, finished`;

/**
 * A drive's columns for the API. Its lastSeenAt is the task's last successful poll while the
 * upstream still lists it, so unchanged polls need no write per drive.
 */
const DRIVE_COLUMNS = `d.id, d.drive_id AS "driveId", d.task_id AS "taskId", d.status::int AS status,
  d.first_seen_at AS "firstSeenAt", d.status_changed_at AS "statusChangedAt",
  CASE WHEN d.missing_since IS NULL AND t.last_synced_at > d.last_seen_at
       THEN t.last_synced_at ELSE d.last_seen_at END AS "lastSeenAt"`;

/**
 * The drive page statement, one per shape of request (status filter or not, first page or after a
 * cursor), so that each has a plan that fits it. Unfiltered pages, the common read, are prepared
 * once per connection (named): PostgreSQL neither parses nor plans them again, which was half of
 * its work per page, and their one generic plan (seek the task's drives by id) is right for every
 * task. Filtered pages stay unnamed and are planned each time with the statuses at hand, so a
 * rare status in a large task can still use the (task, status, id) index.
 * Parameters: $1 task id, $2 limit, then the statuses and/or the cursor's drive row id.
 */
const DRIVE_PAGE = Object.fromEntries(
  (['all-first', 'all-after', 'status-first', 'status-after'] as const).map((shape) => {
    const [filter, position] = shape.split('-');
    const conditions = ['d.task_id = t.task_id'];
    if (filter === 'status') conditions.push('d.status = ANY($3::smallint[])');
    if (position === 'after') conditions.push(`d.id > $${filter === 'status' ? 4 : 3}::bigint`);
    const text = `SELECT t.queued, t.playing, t.failed, t.finished, d.*
        FROM task t
        LEFT JOIN LATERAL (
          SELECT ${DRIVE_COLUMNS} FROM drive d WHERE ${conditions.join(' AND ')} ORDER BY d.id LIMIT $2
        ) d ON true
       WHERE t.task_id = $1
       ORDER BY d.id`;
    return [shape, { name: filter === 'all' ? `drive-page-${shape}` : undefined, text }];
  }),
) as Record<`${'all' | 'status'}-${'first' | 'after'}`, { name?: string; text: string }>;

/** Which cross-task aggregate shard a task's outcomes are added to. */
const SHARD = `(hashtext($1::text) & 15)::smallint`; // $1 is the task id in every statement that uses it

/** Order of stream task statuses: initializing < publishing < stopping < ended (init failed, stopped). */
const TASK_STATUS_RANK = (status: Prisma.Sql) =>
  Prisma.sql`(CASE ${status} WHEN 1 THEN 0 WHEN 3 THEN 1 WHEN 4 THEN 2 ELSE 3 END)`;

/** The only code that knows the SQL of tasks, drives, their history and the hourly outcomes. */
@Injectable()
export class DrivesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Starts tracking a task (creating it if new). `wasTracking` is null when the task is new. */
  async trackTask(taskId: string, source: string): Promise<{ task: TaskRow; wasTracking: boolean | null }> {
    const rows = await this.prisma.$queryRawUnsafe<Array<TaskRow & { wasTracking: boolean | null }>>(
      `WITH prev AS (SELECT tracking, ended_at FROM task WHERE task_id = $1)
       INSERT INTO task (task_id, source) VALUES ($1, $2)
       ON CONFLICT (task_id) DO UPDATE SET
         tracking = true,
         ended_at = NULL,
         next_poll_at = CASE WHEN task.tracking AND task.ended_at IS NULL THEN task.next_poll_at ELSE now() END
       RETURNING ${TASK_COLUMNS}, (SELECT tracking FROM prev) AS "wasTracking"`,
      taskId,
      source,
    );
    const { wasTracking, ...task } = rows[0];
    return { task, wasTracking };
  }

  async untrackTask(taskId: string): Promise<boolean> {
    const count = await this.prisma.$executeRaw`UPDATE task SET tracking = false WHERE task_id = ${taskId}`;
    return count > 0;
  }

  async getTask(taskId: string): Promise<TaskRow | null> {
    // Hot path (every drive page): straight to the pool, skipping Prisma's per-query overhead.
    const { rows } = await this.prisma.pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM task WHERE task_id = $1`, [
      taskId,
    ]);
    return rows[0] ?? null;
  }

  /** Tasks in task id order, after `afterTaskId` (keyset pagination). */
  async listTasks(limit: number, afterTaskId: string | null): Promise<TaskRow[]> {
    return this.prisma.$queryRawUnsafe<TaskRow[]>(
      `SELECT ${TASK_COLUMNS} FROM task WHERE ($1::text IS NULL OR task_id > $1) ORDER BY task_id LIMIT $2`,
      afterTaskId,
      limit,
    );
  }

  /**
   * One page of a task's drives, in the order they were first seen, with the task's counters, from
   * one statement: counters and drives come from the same snapshot (a change committed between two
   * queries could not make them disagree), in one round trip. Straight to the pool, as a prepared
   * statement where that helps (see DRIVE_PAGE): this is the hot read. Null when the task is not known.
   */
  async drivePage(
    taskId: string,
    statuses: DriveStatusCode[] | null,
    limit: number,
    afterId: string | null,
  ): Promise<{ counts: DriveCounts; drives: DriveRow[] } | null> {
    const { name, text } = DRIVE_PAGE[`${statuses ? 'status' : 'all'}-${afterId ? 'after' : 'first'}`];
    const values: unknown[] = [taskId, limit];
    if (statuses) values.push(statuses);
    if (afterId) values.push(afterId);
    const { rows } = await this.prisma.pool.query<DriveCounts & Partial<DriveRow>>({
      name,
      text,
      values,
      types: ISO_TIMESTAMPS,
    });
    if (!rows.length) return null;
    const { queued, playing, failed, finished } = rows[0];
    // A task without (matching) drives comes back as one row whose drive columns are all null.
    const drives = rows[0].id === null ? [] : (rows as DriveRow[]);
    return { counts: { queued, playing, failed, finished }, drives };
  }

  /**
   * One drive with its whole history, oldest first, from one statement (so the drive's status and
   * its last history entry always agree, even while a change is being written).
   */
  async getDrive(taskId: string, driveId: string): Promise<(DriveRow & { history: DriveHistoryRow[] }) | null> {
    type Joined = DriveRow & {
      hStatus: DriveStatusCode | null;
      hPrevious: DriveStatusCode | null;
      hObservedAt: string;
      hSource: string;
    };
    const { rows } = await this.prisma.pool.query<Joined>({
      text: `SELECT ${DRIVE_COLUMNS}, h.status::int AS "hStatus", h.previous_status::int AS "hPrevious",
                h.observed_at AS "hObservedAt", h.source AS "hSource"
         FROM drive d JOIN task t ON t.task_id = d.task_id
         LEFT JOIN drive_history h ON h.drive_row_id = d.id
        WHERE d.task_id = $1 AND d.drive_id = $2
        ORDER BY h.id`,
      values: [taskId, driveId],
      types: ISO_TIMESTAMPS,
    });
    if (!rows.length) return null;
    const { hStatus: _s, hPrevious: _p, hObservedAt: _o, hSource: _src, ...drive } = rows[0];
    const history = rows
      .filter((r) => r.hStatus !== null)
      .map((r) => ({
        status: r.hStatus as DriveStatusCode,
        previousStatus: r.hPrevious,
        observedAt: r.hObservedAt,
        source: r.hSource,
      }));
    return { ...drive, history };
  }

  /** Hourly counts of drives that reached failed / finished, hours in [from, to). */
  async outcomes(taskId: string, from: Date, to: Date): Promise<OutcomeRow[]> {
    return this.prisma.$queryRaw<OutcomeRow[]>`
      SELECT hour, failed, finished FROM drive_outcome_hourly
       WHERE task_id = ${taskId} AND hour >= ${from} AND hour < ${to}
       ORDER BY hour`;
  }

  /** Tracked, live tasks whose next poll is due, the most overdue first. */
  async findDueTasks(now: Date, limit: number, exclude: string[]): Promise<DueTask[]> {
    return this.prisma.$queryRaw<DueTask[]>`
      SELECT task_id AS "taskId", failure_streak AS "failureStreak" FROM task
       WHERE tracking AND ended_at IS NULL AND next_poll_at <= ${now}
         AND NOT (task_id = ANY(${exclude}::text[]))
       ORDER BY next_poll_at
       LIMIT ${limit}`;
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
    options: {
      at: Date;
      source: 'poll' | 'callback';
      complete: boolean;
      /** Polls: when the request was sent (a poll sent after the task ended is its last). */
      startedAt?: Date;
      nextPoll?: { active: Date; idle: Date };
      /** Create the task (tracked, with this source) when it is not known, or track it again. */
      ensureTask?: string;
    },
  ): Promise<ObservationResult | null> {
    const { at, source, complete } = options;
    // A partial observation (a callback) needs only the drives it names.
    const named = complete ? null : observed.map((o) => o.driveId);
    return this.prisma.transaction(async (tx) => {
      // Lock the task row, then read the drives concerned: two statements in one round trip. The
      // read must be a statement of its own, after the lock: in READ COMMITTED it then sees every
      // change committed by whoever held the lock before us (a join in the locking statement would not).
      const lockAndRead = async () => {
        const [lockedRows, driveRows] = await tx.queryText((literal) => [
          `SELECT tracking FROM task WHERE task_id = ${literal(taskId)} FOR UPDATE`,
          `SELECT drive_id AS "driveId", status::int AS status, missing_since IS NOT NULL AS missing
             FROM drive WHERE task_id = ${literal(taskId)}${named ? ` AND drive_id = ANY(ARRAY[${named.map(literal).join(', ')}]::text[])` : ''}`,
        ]);
        return {
          locked: lockedRows as Array<{ tracking: boolean }>,
          rows: driveRows as Array<{ driveId: string; status: DriveStatusCode; missing: boolean }>,
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
      const d = plan.countDelta;
      const failed = plan.changes.filter((c) => c.to === 3).length;
      const finished = plan.changes.filter((c) => c.to === 4).length;
      const isPoll = source === 'poll';
      const [counts] = await tx.query<{ active: number; total: number }>(
        `WITH input AS (
           SELECT * FROM unnest($2::text[], $3::smallint[], $4::smallint[]) AS i(drive_id, status, previous_status)
         ), saved AS (
           INSERT INTO drive AS d (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at)
           SELECT $1::text, drive_id, status, $5::timestamptz, $5::timestamptz, $5::timestamptz FROM input
           ON CONFLICT (task_id, drive_id) DO UPDATE SET
             status = EXCLUDED.status, status_changed_at = EXCLUDED.status_changed_at,
             last_seen_at = EXCLUDED.last_seen_at, missing_since = NULL
           RETURNING d.id, d.drive_id
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
         ), vanished AS (
           UPDATE drive SET missing_since = $5::timestamptz WHERE task_id = $1::text AND drive_id = ANY($9::text[])
         ), reappeared AS (
           UPDATE drive SET missing_since = NULL, last_seen_at = $5::timestamptz WHERE task_id = $1::text AND drive_id = ANY($10::text[])
         )
         UPDATE task SET
           queued = queued + $11::int, playing = playing + $12::int, failed = failed + $13::int, finished = finished + $14::int,
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
         RETURNING queued + playing AS active, queued + playing + failed + finished AS total`,
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
        ],
        'observation-write',
      );
      return { plan, active: counts.active, total: counts.total };
    });
  }

  /**
   * Records a stream task's status (from a callback, discovery or GetDigitalHumanStreamTaskStatus).
   * The status only moves forward (initializing → publishing → stopping → stopped | init failed);
   * once the task has ended, one more poll is scheduled, and that poll ends the tracking.
   */
  async recordTaskStatus(
    taskId: string,
    info: {
      status: number;
      at: Date;
      roomId?: string;
      streamId?: string;
      failReason?: string;
      upstreamCreatedAt?: Date;
    },
  ): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE task SET
        task_status = ${info.status}::smallint,
        task_status_at = ${info.at},
        room_id = COALESCE(${info.roomId ?? null}, room_id),
        stream_id = COALESCE(${info.streamId ?? null}, stream_id),
        fail_reason = COALESCE(${info.failReason ?? null}, fail_reason),
        upstream_created_at = COALESCE(${info.upstreamCreatedAt ?? null}::timestamptz, upstream_created_at),
        final_poll_after = CASE WHEN ${info.status} IN (2, 5) THEN COALESCE(final_poll_after, now()) ELSE final_poll_after END,
        next_poll_at = CASE WHEN ${info.status} IN (2, 5) AND ended_at IS NULL THEN now() ELSE next_poll_at END
      WHERE task_id = ${taskId}
        AND (task_status IS NULL OR ${TASK_STATUS_RANK(Prisma.sql`${info.status}::smallint`)} > ${TASK_STATUS_RANK(Prisma.sql`task_status`)})`;
    return count > 0;
  }

  /** Starts tracking a task found upstream, unless it is known already (a user may have untracked it). */
  async discoverTask(taskId: string, source: 'discovery' | 'callback' = 'discovery'): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      INSERT INTO task (task_id, source) VALUES (${taskId}, ${source}) ON CONFLICT (task_id) DO NOTHING`;
    return count > 0;
  }

  /** Tracked tasks not yet ended, for discovery's reconciliation. */
  async liveTrackedTasks(limit: number): Promise<Array<{ taskId: string; taskStatus: number | null }>> {
    return this.prisma.$queryRaw`
      SELECT task_id AS "taskId", task_status::int AS "taskStatus" FROM task
       WHERE tracking AND ended_at IS NULL ORDER BY task_status_at NULLS FIRST LIMIT ${limit}`;
  }

  /** Every status change of every drive of a task, oldest first, keyset-paginated on (observedAt, id). */
  async taskHistory(taskId: string, from: Date, to: Date, limit: number, after: { at: Date; id: bigint } | null) {
    return this.prisma.$queryRaw<Array<HistoryRow & { id: bigint; driveId: string }>>`
      SELECT h.id, d.drive_id AS "driveId", h.status::int AS status, h.previous_status::int AS "previousStatus",
             h.observed_at AS "observedAt", h.source
        FROM drive_history h JOIN drive d ON d.id = h.drive_row_id
       WHERE h.task_id = ${taskId} AND h.observed_at >= ${from} AND h.observed_at < ${to}
         AND (${after?.at ?? null}::timestamptz IS NULL OR (h.observed_at, h.id) > (${after?.at ?? null}::timestamptz, ${after?.id ?? null}::bigint))
       ORDER BY h.observed_at, h.id
       LIMIT ${limit}`;
  }

  /** Hourly failed/finished counts across all tasks, hours in [from, to). */
  async outcomesAcrossTasks(from: Date, to: Date): Promise<OutcomeRow[]> {
    return this.prisma.$queryRaw<OutcomeRow[]>`
      SELECT hour, sum(failed)::int AS failed, sum(finished)::int AS finished
        FROM drive_outcome_hourly_shard WHERE hour >= ${from} AND hour < ${to}
       GROUP BY hour ORDER BY hour`;
  }

  /** The tasks with the most failures (or the highest failure rate) in [from, to). */
  async topTasks(from: Date, to: Date, sort: 'failures' | 'failureRate', limit: number) {
    const order = sort === 'failures' ? Prisma.sql`failed DESC, finished DESC` : Prisma.sql`rate DESC, failed DESC`;
    return this.prisma.$queryRaw<Array<{ taskId: string; failed: number; finished: number }>>`
      SELECT task_id AS "taskId", sum(failed)::int AS failed, sum(finished)::int AS finished,
             sum(failed)::float8 / NULLIF(sum(failed) + sum(finished), 0) AS rate
        FROM drive_outcome_hourly WHERE hour >= ${from} AND hour < ${to}
       GROUP BY task_id HAVING sum(failed) + sum(finished) > 0
       ORDER BY ${order}, task_id
       LIMIT ${limit}`;
  }

  /** A poll failed: keep the reason (already free of secrets) and try again at `nextPollAt`. */
  async recordSyncFailure(taskId: string, message: string, nextPollAt: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE task SET last_sync_error = ${message.slice(0, 500)}, failure_streak = failure_streak + 1, next_poll_at = ${nextPollAt}
       WHERE task_id = ${taskId}`;
  }

  /** Makes every live task whose last poll failed due now; returns how many. */
  async pollFailingTasksNow(): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE task SET next_poll_at = now() WHERE failure_streak > 0 AND tracking AND ended_at IS NULL AND next_poll_at > now()`;
  }

  /** The upstream no longer knows the task: stop polling it, keep everything recorded. */
  async markEnded(taskId: string, at: Date, reason: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE task SET ended_at = COALESCE(ended_at, ${at}), last_sync_error = ${reason.slice(0, 500)}
       WHERE task_id = ${taskId}`;
  }
}
