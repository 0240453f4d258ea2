import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { OutcomeRow } from './drive-rows';
import { UnresolvedRow } from './failure-buckets';

/** The hourly outcome aggregates of one task (written with each change by ObservationsRepository). */
@Injectable()
export class OutcomesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Hourly counts of drives that reached failed / finished, hours in [from, to). */
  async outcomes(taskId: string, from: Date, to: Date): Promise<OutcomeRow[]> {
    return this.prisma.driveOutcomeHourly.findMany({
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
    return this.prisma.$queryRaw<UnresolvedRow[]>`
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
   * kept; the next status change clears the mark. Returns how many were marked.
   */
  async markUnresolved(now: Date, staleBefore: Date): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE drive d SET unresolved_at = ${now}
        FROM task t
       WHERE d.task_id = t.task_id AND d.status IN (1, 2) AND d.unresolved_at IS NULL
         AND (t.ended_at IS NOT NULL
              OR GREATEST(d.status_changed_at,
                          CASE WHEN d.missing_since IS NULL AND t.last_synced_at IS NOT NULL
                               THEN GREATEST(d.last_seen_at, t.last_synced_at) ELSE d.last_seen_at END) < ${staleBefore})`;
  }
}
