import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';
import { MetricsService } from '../metrics/metrics.service';
import { Prisma } from '../generated/prisma/client';
import { OutcomeRow } from './drive-rows';
import { UnresolvedRow } from './failure-buckets';

/** The hourly outcome aggregates of one task (written with each change by ObservationsRepository). */
@Injectable()
export class OutcomesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly read: ReadDatabase,
    private readonly metrics: MetricsService,
  ) {}

  /** Hourly counts of drives that reached failed / finished, hours in [from, to). */
  async outcomes(taskId: string, from: Date, to: Date): Promise<OutcomeRow[]> {
    return this.read.prisma.driveOutcomeHourly.findMany({
      where: { taskId, hour: { gte: from, lt: to } },
      orderBy: { hour: 'asc' },
      select: { hour: true, failed: true, finished: true },
    });
  }

  /**
   * Drives marked unresolved per UTC hour in [from, to), still unresolved; of one task, or of all.
   * Read from the drives themselves through a partial index that holds only unresolved drives.
   */
  async unresolved(scope: { taskId?: string; type?: string }, from: Date, to: Date): Promise<UnresolvedRow[]> {
    const taskId = scope.taskId ?? null;
    const type = scope.type ?? null;
    return this.read.prisma.$queryRaw<UnresolvedRow[]>`
      SELECT date_trunc('hour', unresolved_at, 'UTC') AS hour, count(*)::int AS unresolved
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
