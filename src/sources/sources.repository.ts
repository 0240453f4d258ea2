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
 * The partial index drive_history_end_idx holds only those entries, by time and source, so the
 * count is an index-only scan of the range (docs/status-sources-2026.md has the measurement).
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
