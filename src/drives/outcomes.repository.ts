import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';
import { MetricsService } from '../metrics/metrics.service';
import { Prisma } from '../generated/prisma/client';
import { OutcomeRow } from './drive-rows';
import { Grain, UnresolvedRow } from './failure-buckets';

/** The hourly outcome aggregates of one task (written with each change by ObservationsRepository). */
@Injectable()
export class OutcomesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly read: ReadDatabase,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Hourly counts of drives that reached failed / finished, hours in [from, to); or per minute
   * (`hour` is then the minute's start), from the per-minute aggregates.
   */
  async outcomes(taskId: string, from: Date, to: Date, grain: Grain = 'hour'): Promise<OutcomeRow[]> {
    if (grain === 'minute')
      return this.read.prisma.$queryRaw<OutcomeRow[]>`
        SELECT minute AS hour, failed, finished FROM drive_outcome_minute
         WHERE task_id = ${taskId} AND minute >= ${from} AND minute < ${to} ORDER BY minute`;
    return this.read.prisma.driveOutcomeHourly.findMany({
      where: { taskId, hour: { gte: from, lt: to } },
      orderBy: { hour: 'asc' },
      select: { hour: true, failed: true, finished: true },
    });
  }

  /**
   * Good and bad drives of the minutes in [from, to), of one task or of all, for SLO windows:
   * good = finished, bad = failed + marked unresolved in the window and still unresolved (never
   * counted as finished). Reads at most 16 shard rows a minute (one task: one row a minute) and
   * the partial index of unresolved drives; `from` and `to` are whole minutes within
   * MINUTE_RETENTION_DAYS.
   */
  async windowOutcomes(taskId: string | null, from: Date, to: Date): Promise<{ good: number; bad: number }> {
    const ended = taskId
      ? Prisma.sql`SELECT failed, finished FROM drive_outcome_minute WHERE task_id = ${taskId} AND minute >= ${from} AND minute < ${to}`
      : Prisma.sql`SELECT failed, finished FROM drive_outcome_minute_shard WHERE minute >= ${from} AND minute < ${to}`;
    const [row] = await this.read.prisma.$queryRaw<Array<{ good: number; bad: number }>>`
      SELECT coalesce(sum(finished), 0)::int AS good,
             (coalesce(sum(failed), 0) + (SELECT count(*) FROM drive
               WHERE unresolved_at >= ${from} AND unresolved_at < ${to}
                 AND (${taskId}::text IS NULL OR task_id = ${taskId}::text)))::int AS bad
        FROM (${ended}) e`;
    return row;
  }

  /**
   * Drives marked unresolved per UTC hour (or minute) in [from, to), still unresolved; of one task,
   * or of all. Read from the drives themselves through a partial index that holds only unresolved drives.
   */
  async unresolved(
    scope: { taskId?: string; type?: string },
    from: Date,
    to: Date,
    grain: Grain = 'hour',
  ): Promise<UnresolvedRow[]> {
    const taskId = scope.taskId ?? null;
    const type = scope.type ?? null;
    return this.read.prisma.$queryRaw<UnresolvedRow[]>`
      SELECT date_trunc(${grain}, unresolved_at, 'UTC') AS hour, count(*)::int AS unresolved
        FROM drive
       WHERE unresolved_at >= ${from} AND unresolved_at < ${to}
         AND (${taskId}::text IS NULL OR task_id = ${taskId}::text)
         AND (${type}::text IS NULL OR drive_type = ${type}::text)
       GROUP BY 1 ORDER BY 1`;
  }

  /**
   * Marks drives unresolved: still queued or playing when their task has ended, or without news
   * since `staleBefore` (no status change, and not listed by a successful poll). Their status is
   * kept; the task's counter goes up with them; their next status change clears both. The tasks
   * concerned are locked first, in task order, as every observation write locks its task before
   * its drives, so the two never deadlock and never disagree. Returns how many were marked.
   */
  async markUnresolved(now: Date, staleBefore: Date): Promise<number> {
    // A drive (d) of its task (t) that ended, or that had no news since staleBefore.
    const leftRunning = Prisma.sql`(t.ended_at IS NOT NULL
      OR GREATEST(d.status_changed_at,
                  CASE WHEN d.missing_since IS NULL AND t.last_synced_at IS NOT NULL
                       THEN GREATEST(d.last_seen_at, t.last_synced_at) ELSE d.last_seen_at END) < ${staleBefore})`;
    // Most rounds find nothing: asked on the pool first (the same condition), so that an idle
    // process does not load Prisma's query compiler (about 60 MB resident) to learn it.
    const probe = Prisma.sql`SELECT EXISTS (
        SELECT 1 FROM drive d JOIN task t ON t.task_id = d.task_id
         WHERE d.status IN (1, 2) AND d.unresolved_at IS NULL AND ${leftRunning}) AS any`;
    if (!(await this.prisma.pool.query<{ any: boolean }>(probe.text, probe.values)).rows[0].any) return 0;
    const marked = await this.prisma.$transaction(async (tx) => {
      const tasks = await tx.$queryRaw<Array<{ task_id: string }>>`
        SELECT t.task_id FROM task t
         WHERE EXISTS (
           SELECT 1 FROM drive d
            WHERE d.task_id = t.task_id AND d.status IN (1, 2) AND d.unresolved_at IS NULL
              AND ${leftRunning})
         ORDER BY t.task_id LIMIT 500
           FOR UPDATE OF t`;
      if (!tasks.length) return 0;
      const ids = tasks.map((t) => t.task_id);
      const [{ marked }] = await tx.$queryRaw<Array<{ marked: number }>>`
        WITH marked AS (
          UPDATE drive d SET unresolved_at = ${now}
            FROM task t
           WHERE d.task_id = t.task_id AND t.task_id = ANY(${ids}::text[])
             AND d.status IN (1, 2) AND d.unresolved_at IS NULL
             AND ${leftRunning}
          RETURNING d.task_id
        ), counted AS (
          UPDATE task SET unresolved = unresolved + m.n
            FROM (SELECT task_id, count(*)::int AS n FROM marked GROUP BY task_id) m
           WHERE task.task_id = m.task_id
        )
        SELECT count(*)::int AS marked FROM marked`;
      return marked;
    });
    this.metrics.drivesEndedAfterCommit({ failed: 0, finished: 0, unresolved: marked });
    return marked;
  }
}
