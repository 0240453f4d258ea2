import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { sql, statement } from '../database/sql';

const FOLD_HOURS = statement<{ before: Date }>(
  'maintenance-fold-duration-histograms',
  (p) => sql`SELECT fold_duration_histograms(${p.before}) AS folded`,
);
const FOLD_MINUTES = statement<{ before: Date }>(
  'maintenance-fold-minute-histograms',
  (p) => sql`SELECT fold_minute_histograms(${p.before}) AS folded`,
);
const PRUNE_MINUTES = statement<{ before: Date; batch: number }>(
  'maintenance-prune-minutes',
  (p) => sql`SELECT prune_minute_aggregates(${p.before}, ${p.batch}) AS pruned`,
);
const ENSURE_PARTITIONS = statement<{ times: Date[] }>(
  'maintenance-ensure-history-partitions',
  (p) =>
    sql`SELECT at, ensure_history_partition(at) AS made FROM unnest(${p.times}::timestamptz[]) AS t(at) ORDER BY at`,
);
const DROP_PARTITIONS = statement<{ cutoff: Date }>(
  'maintenance-drop-history-partitions',
  (p) => sql`SELECT drop_history_partitions_before(${p.cutoff}) AS dropped`,
);

/**
 * Database housekeeping that keeps reads cheap as data grows: calls of the migrations' SQL
 * functions, straight on the pool (a process that serves only the hot reads then never loads
 * Prisma's query compiler, about 85 MB: see README, Performance).
 */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Folds the cross-task duration histograms of hours before `before` into one packed row per
   * metric and hour (fold_duration_histograms). Returns the rows packed.
   */
  async foldDurationHistograms(before: Date): Promise<number> {
    const { rows } = await this.prisma.pool.query<{ folded: number }>(FOLD_HOURS.config({ before }));
    return rows[0].folded;
  }

  /** The same for the cross-task minute histograms of minutes before `before` (fold_minute_histograms). */
  async foldMinuteHistograms(before: Date): Promise<number> {
    const { rows } = await this.prisma.pool.query<{ folded: number }>(FOLD_MINUTES.config({ before }));
    return rows[0].folded;
  }

  /**
   * Deletes per-minute aggregate rows of minutes before `before`, at most `batch` rows a table
   * (prune_minute_aggregates, one short statement); the rows deleted. Callers repeat it until it
   * deletes less than a batch, so a backlog never becomes one long-held transaction.
   */
  async pruneMinutes(before: Date, batch: number): Promise<number> {
    const { rows } = await this.prisma.pool.query<{ pruned: number }>(PRUNE_MINUTES.config({ before, batch }));
    return rows[0].pruned;
  }

  /** Makes the month partitions of drive_history that hold these times, where missing; their months. */
  async ensureHistoryPartitions(times: Date[]): Promise<string[]> {
    const { rows } = await this.prisma.pool.query<{ at: Date; made: boolean }>(ENSURE_PARTITIONS.config({ times }));
    return rows.filter((r) => r.made).map((r) => r.at.toISOString().slice(0, 7));
  }

  /** Drops the month partitions of drive_history that end at or before `cutoff`; their names. */
  async dropHistoryBefore(cutoff: Date): Promise<string[]> {
    const { rows } = await this.prisma.pool.query<{ dropped: string[] }>(DROP_PARTITIONS.config({ cutoff }));
    return rows[0].dropped;
  }

  /** Rows that fell outside every month partition (there should be none). */
  async strayHistoryRows(): Promise<number> {
    const { rows } = await this.prisma.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM drive_history_default',
    );
    return rows[0].n;
  }
}
