import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor, isBigintKey, isTimeKey } from '../common/cursor';
import { isoTime, parseTime } from '../common/time';
import { OutcomesRepository } from '../drives/outcomes.repository';
import { TasksRepository } from '../drives/tasks.repository';
import { ReportsRepository, TaskOutcomes } from './reports.repository';
import { addPacked, DurationMetric, emptyHistogram, METRIC_CODE, NO_DRIVES, summarize } from '../drives/durations';
import { ceilTo, floorTo, grainOf, INTERVAL_MS, Interval, MAX_BUCKETS, toBuckets } from '../drives/failure-buckets';
import { AppConfig } from '../config/app-config';
import { DRIVE_STATUS_NAMES } from '../zego/zego.types';
import {
  DurationReport,
  DurationReportQuery,
  FailureReport,
  FailureReportQuery,
  HistoryQuery,
  ReportBucket,
  TaskHistoryPage,
  TaskReport,
  TaskReportItem,
  TaskReportQuery,
} from './reports.dto';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_RANGE_MS = 366 * DAY_MS;
const DEFAULT_RANGE_MS = 7 * DAY_MS;
/** Minute and 5-minute buckets: ranges up to 48 hours, by default the last hour (6 hours for 5m). */
const MAX_MINUTE_RANGE_MS = 48 * HOUR_MS;
const DEFAULT_MINUTE_RANGE_MS: Partial<Record<Interval, number>> = { minute: HOUR_MS, '5m': 6 * HOUR_MS };

const rate = (failed: number, finished: number) => (failed + finished ? failed / (failed + finished) : 0);

/** Reports over months of data, answered from the hourly aggregates rather than from history. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly outcomes: OutcomesRepository,
    private readonly taskRows: TasksRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Failed and finished drives per bucket, across tasks, for one type or for one task: the answer
   * of both `GET /reports/failures` and `GET /tasks/:taskId/failures`.
   */
  async failures(query: FailureReportQuery, now = Date.now()): Promise<FailureReport> {
    const interval: Interval = query.interval ?? 'hour';
    const { from, to } = this.range(query, now, interval);
    const buckets = (to - from) / INTERVAL_MS[interval];
    if (buckets > MAX_BUCKETS)
      throw new BadRequestException(
        `the range holds ${buckets} ${interval} buckets, more than ${MAX_BUCKETS}; use a wider interval`,
      );
    if (query.taskId && query.type) {
      throw new BadRequestException('type and taskId cannot be combined: drives are counted per type across tasks');
    }
    if (query.taskId) await this.requireTask(query.taskId);
    const grain = grainOf(interval);
    const rows = query.taskId
      ? await this.outcomes.outcomes(query.taskId, new Date(from), new Date(to), grain)
      : query.type
        ? await this.reports.outcomesByType(query.type, new Date(from), new Date(to), grain)
        : await this.reports.outcomesAcrossTasks(new Date(from), new Date(to), grain);
    const unresolved = await this.outcomes.unresolved(
      { taskId: query.taskId, type: query.type },
      new Date(from),
      new Date(to),
      grain,
    );
    const filled: ReportBucket[] = toBuckets(rows, interval, from, to, unresolved).map((b) => ({
      ...b,
      failureRate: rate(b.failed, b.finished),
    }));
    const failed = filled.reduce((n, b) => n + b.failed, 0);
    const finished = filled.reduce((n, b) => n + b.finished, 0);
    return {
      interval,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      ...(query.taskId ? { taskId: query.taskId } : {}),
      ...(query.type ? { type: query.type } : {}),
      totals: {
        failed,
        finished,
        failureRate: rate(failed, finished),
        unresolved: filled.reduce((n, b) => n + b.unresolved, 0),
      },
      buckets: filled,
    };
  }

  /**
   * Percentiles of queue wait or play time per minute, 5 minutes, hour, day or week, from the
   * per-minute or hourly histograms (values within 1.6 % of the exact ones); every bucket of the
   * range present, empty ones as count 0 with null values.
   */
  async durations(query: DurationReportQuery, now = Date.now()): Promise<DurationReport> {
    const interval: Interval = query.interval ?? 'hour';
    const metric: DurationMetric = query.metric;
    const { from, to } = this.range(query, now, interval);
    const size = INTERVAL_MS[interval];
    const count = (to - from) / size;
    if (count > MAX_BUCKETS)
      throw new BadRequestException(
        `the range holds ${count} ${interval} buckets, more than ${MAX_BUCKETS}; use a wider interval`,
      );
    if (query.taskId) await this.requireTask(query.taskId);
    const rows = await this.reports.durationHistograms(
      METRIC_CODE[metric],
      new Date(from),
      new Date(to),
      query.taskId ?? null,
      grainOf(interval),
    );
    // Each output bucket's histogram, as counts by histogram bucket, then their percentiles.
    const histograms = new Map<number, Float64Array>();
    const all = emptyHistogram();
    for (const row of rows) {
      const index = Math.floor((row.hour - from) / size);
      const h = histograms.get(index) ?? emptyHistogram();
      histograms.set(index, h);
      addPacked(h, row.histogram);
      addPacked(all, row.histogram);
    }
    const buckets = Array.from({ length: count }, (_, i) => {
      const h = histograms.get(i);
      return { start: new Date(from + i * size).toISOString(), ...(h ? summarize(h) : NO_DRIVES) };
    });
    return {
      metric,
      interval,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      ...(query.taskId ? { taskId: query.taskId } : {}),
      totals: summarize(all),
      buckets,
    };
  }

  async tasks(query: TaskReportQuery, now = Date.now()): Promise<TaskReport> {
    const { from, to } = this.range(query, now, 'hour');
    const sort = query.sort ?? 'failures';
    const limit = query.limit ?? 20;
    const [start, end] = [new Date(from), new Date(to)];
    let rows: TaskOutcomes[];
    if (sort === 'failures' || sort === 'failureRate') {
      rows = await this.reports.topTasks(start, end, sort, limit);
    } else {
      // The slowest tasks first; their outcome counts read for them alone.
      const ids = await this.reports.slowestTasks(sort === 'p95PlayMs' ? 2 : 1, start, end, limit);
      const outcomes = new Map((await this.reports.taskOutcomes(start, end, ids)).map((r) => [r.taskId, r]));
      rows = ids.map((taskId) => outcomes.get(taskId) ?? { taskId, failed: 0, finished: 0 });
    }
    const ids = rows.map((r) => r.taskId);
    const [play, queueWait] = ids.length
      ? await Promise.all([
          this.reports.taskHistograms(2, start, end, ids),
          this.reports.taskHistograms(1, start, end, ids),
        ])
      : [new Map<string, Map<number, number>>(), new Map<string, Map<number, number>>()];
    const p95 = (h: Map<number, number> | undefined) => (h ? summarize(h).p95 : null);
    return {
      from: start.toISOString(),
      to: end.toISOString(),
      sort,
      items: rows.map((r): TaskReportItem => ({
        taskId: r.taskId,
        failed: r.failed,
        finished: r.finished,
        failureRate: rate(r.failed, r.finished),
        p95PlayMs: p95(play.get(r.taskId)),
        p95QueueWaitMs: p95(queueWait.get(r.taskId)),
      })),
    };
  }

  async history(taskId: string, query: HistoryQuery): Promise<TaskHistoryPage> {
    const list = `history:${taskId}`;
    const after = decodeCursor(list, query.cursor, (a) => {
      const [ms, id, extra] = a.split(':');
      return extra === undefined && id !== undefined && isTimeKey(ms) && isBigintKey(id);
    });
    const from = query.from ? parseTime('from', query.from) : 0;
    const to = query.to ? parseTime('to', query.to) : 8.64e15;
    if (from >= to) throw new BadRequestException('from must be earlier than to');
    await this.requireTask(taskId);
    const limit = query.limit ?? 100;
    const key = after ? { at: new Date(Number(after.split(':')[0])), id: BigInt(after.split(':')[1]) } : null;
    const rows = await this.reports.taskHistory(taskId, new Date(from), new Date(to), limit + 1, key);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      taskId,
      items: page.map((h) => ({
        driveId: h.driveId,
        status: DRIVE_STATUS_NAMES[h.status],
        statusCode: h.status,
        previousStatus: h.previousStatus === null ? null : DRIVE_STATUS_NAMES[h.previousStatus],
        observedAt: isoTime(h.observedAt),
        source: h.source,
      })),
      nextCursor: rows.length > limit ? encodeCursor(list, `${last.observedAt.getTime()}:${last.id}`) : null,
    };
  }

  /**
   * [from, to) widened to whole buckets; at most 366 days. Without `from`, the 7 days (minute: 1
   * hour, 5m: 6 hours) that end with the bucket holding `to` (default: now), so a default report is
   * a whole number of buckets, the last one still filling. Minute and 5-minute buckets: at most 48
   * hours, not before the minutes kept (MINUTE_RETENTION_DAYS).
   */
  private range(query: { from?: string; to?: string }, now: number, interval: Interval) {
    const minutes = grainOf(interval) === 'minute';
    const toRaw = query.to ? parseTime('to', query.to) : now;
    const fromRaw = query.from
      ? parseTime('from', query.from)
      : ceilTo(interval, toRaw) - (DEFAULT_MINUTE_RANGE_MS[interval] ?? DEFAULT_RANGE_MS);
    if (fromRaw >= toRaw) throw new BadRequestException('from must be earlier than to');
    if (toRaw - fromRaw > MAX_RANGE_MS) throw new BadRequestException('the range is longer than 366 days; narrow it');
    if (minutes && toRaw - fromRaw > MAX_MINUTE_RANGE_MS) {
      const hours = Math.ceil((toRaw - fromRaw) / HOUR_MS);
      throw new BadRequestException(
        `interval=${interval} covers at most 48 hours and the range is ${hours} hours; narrow it or use interval=hour`,
      );
    }
    const from = floorTo(interval, fromRaw);
    const kept = floorTo('minute', now) - this.config.MINUTE_RETENTION_DAYS * DAY_MS;
    if (minutes && from < kept) {
      throw new BadRequestException(
        `minute buckets are kept for ${this.config.MINUTE_RETENTION_DAYS} days (MINUTE_RETENTION_DAYS) and from is older; use interval=hour`,
      );
    }
    return { from, to: ceilTo(interval, toRaw) };
  }

  private async requireTask(taskId: string): Promise<void> {
    if (!(await this.taskRows.readTask(taskId))) {
      throw new NotFoundException(`task ${taskId} is not tracked (register it with PUT /tasks/${taskId})`);
    }
  }
}
