import { BadRequestException, Injectable } from '@nestjs/common';
import { parseTime } from '../common/time';
import { OutcomesRepository } from '../drives/outcomes.repository';
import { SourcesQuery, SourcesReport, STATUS_SOURCES } from './sources.dto';
import { SourcesRepository } from './sources.repository';

const DAY_MS = 86_400_000;
/** Longest range: about 1 s at 500,000 ends a month (measured; docs/status-sources.md). */
export const MAX_SOURCES_RANGE_MS = 31 * DAY_MS;

/** How many drive ends each route (callback, poll, client relay, producer) reported in a range. */
@Injectable()
export class SourcesService {
  constructor(
    private readonly sources: SourcesRepository,
    private readonly outcomes: OutcomesRepository,
  ) {}

  async report(query: SourcesQuery, now = Date.now()): Promise<SourcesReport> {
    const to = query.to ? parseTime('to', query.to) : now;
    const from = query.from ? parseTime('from', query.from) : to - DAY_MS;
    if (from >= to) throw new BadRequestException('from must be earlier than to');
    if (to - from > MAX_SOURCES_RANGE_MS) throw new BadRequestException('the range must be at most 31 days');
    const rows = await this.sources.endsBySource(new Date(from), new Date(to));
    const unresolved = await this.outcomes.unresolved({}, new Date(from), new Date(to));
    const ends = rows.reduce((n, r) => n + r.failed + r.finished, 0);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      ends,
      sources: STATUS_SOURCES.map((source) => {
        const row = rows.find((r) => r.source === source) ?? { failed: 0, finished: 0 };
        const n = row.failed + row.finished;
        return { source, failed: row.failed, finished: row.finished, ends: n, share: ends ? n / ends : 0 };
      }),
      unresolved: unresolved.reduce((n, r) => n + r.unresolved, 0),
    };
  }
}
