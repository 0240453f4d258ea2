import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** Database housekeeping that keeps reads cheap as data grows. */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Folds the cross-task duration histograms of hours before `before` into one packed row per
   * metric and hour (the migration's fold_duration_histograms). Returns the rows packed.
   */
  async foldDurationHistograms(before: Date): Promise<number> {
    const [{ folded }] = await this.prisma.$queryRaw<Array<{ folded: number }>>`
      SELECT fold_duration_histograms(${before}) AS folded`;
    return folded;
  }

  /** Makes the month partitions of drive_history that hold these times, where missing; their names. */
  async ensureHistoryPartitions(times: Date[]): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ at: Date; made: boolean }>>`
      SELECT at, ensure_history_partition(at) AS made FROM unnest(${times}::timestamptz[]) AS t(at) ORDER BY at`;
    return rows.filter((r) => r.made).map((r) => r.at.toISOString().slice(0, 7));
  }

  /** Drops the month partitions of drive_history that end at or before `cutoff`; their names. */
  async dropHistoryBefore(cutoff: Date): Promise<string[]> {
    const [{ dropped }] = await this.prisma.$queryRaw<Array<{ dropped: string[] }>>`
      SELECT drop_history_partitions_before(${cutoff}) AS dropped`;
    return dropped;
  }

  /** Rows that fell outside every month partition (there should be none). */
  async strayHistoryRows(): Promise<number> {
    const [{ n }] = await this.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM drive_history_default`;
    return n;
  }
}
