import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '../database/read-database';

export interface SourceEndsRow {
  source: string;
  failed: number;
  finished: number;
}

/**
 * Drive ends per source, read from history: a drive reaches a terminal status once (it never
 * regresses), so its one terminal history entry says which route told the service of its end.
 * Bounded by the range: partitions outside it are pruned, and inside them the planner reads the
 * range through the (task_id, observed_at, id) index. A partial index of the terminal entries was
 * measured and not kept: 1.1-2.7x faster reads, but 40 % more time to insert terminal entries on
 * the hot write path (docs/status-sources.md, Where the ends come from).
 */
@Injectable()
export class SourcesRepository {
  constructor(private readonly read: ReadDatabase) {}

  async endsBySource(from: Date, to: Date): Promise<SourceEndsRow[]> {
    return this.read.prisma.$queryRaw<SourceEndsRow[]>`
      SELECT source, count(*) FILTER (WHERE status = 3)::int AS failed, count(*) FILTER (WHERE status = 4)::int AS finished
        FROM drive_history
       WHERE status IN (3, 4) AND observed_at >= ${from} AND observed_at < ${to}
       GROUP BY source`;
  }
}
