import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { ID_PATTERN, ID_RULE } from '../common/ids';
import { CursorParam, LimitParam } from '../common/paging';
import { DRIVE_TYPES, DriveType, DriveTypeFilter } from '../drives/drives.dto';
import { DURATION_METRICS, DurationMetric } from '../drives/durations';

const FROM = 'from must be an ISO-8601 date or date-time, e.g. 2026-11-01T00:00:00Z';
const TO = 'to must be an ISO-8601 date or date-time, e.g. 2026-11-08T00:00:00Z';

class RangeQuery {
  @ApiPropertyOptional({
    description: 'Start (ISO-8601; UTC when no zone); rounded down to a bucket',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: FROM })
  from?: string;

  @ApiPropertyOptional({ description: 'End, exclusive; rounded up to a bucket', example: '2026-11-08T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: TO })
  to?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv answers text/csv with a header row (so does Accept: text/csv)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

export const REPORT_INTERVALS = ['minute', '5m', 'hour', 'day', 'week'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

/** A report per minute, 5 minutes, hour, day or week, across tasks or for one. */
class BucketedQuery extends RangeQuery {
  @ApiPropertyOptional({
    enum: REPORT_INTERVALS,
    default: 'hour',
    description:
      'minute and 5m: from the per-minute aggregates, for ranges up to 48 hours within MINUTE_RETENTION_DAYS (default range: the last hour, or 6 hours for 5m); hour, day and week: from the hourly aggregates',
  })
  @IsOptional()
  @IsIn(REPORT_INTERVALS, { message: 'interval must be minute, 5m, hour, day or week' })
  interval: ReportInterval = 'hour';

  @ApiPropertyOptional({ description: 'Only this task', pattern: ID_PATTERN.source })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `taskId ${ID_RULE}` })
  taskId?: string;
}

export class FailureReportQuery extends BucketedQuery {
  @DriveTypeFilter()
  type?: DriveType;
}

/** `GET /tasks/:taskId/failures`: the failure report's query, its task named by the path. */
export class TaskFailuresQuery extends OmitType(FailureReportQuery, ['taskId', 'type'] as const) {}

export class DurationReportQuery extends BucketedQuery {
  @ApiProperty({
    enum: DURATION_METRICS,
    description:
      'queue_wait: queued -> playing, counted in the hour the drive started playing; play: playing -> failed or finished, counted in the hour it ended',
  })
  @IsIn(DURATION_METRICS, { message: `metric must be one of ${DURATION_METRICS.join(', ')}` })
  metric: DurationMetric;
}

export const TASK_SORTS = ['failures', 'failureRate', 'p95PlayMs', 'p95QueueWaitMs'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export class TaskReportQuery extends RangeQuery {
  @ApiPropertyOptional({
    enum: TASK_SORTS,
    default: 'failures',
    description: 'p95PlayMs / p95QueueWaitMs: the slowest tasks first (reads every task’s histograms over the range)',
  })
  @IsOptional()
  @IsIn(TASK_SORTS, { message: `sort must be one of ${TASK_SORTS.join(', ')}` })
  sort: TaskSort = 'failures';

  @LimitParam(20)
  limit = 20;
}

export class HistoryQuery extends RangeQuery {
  @LimitParam(100)
  limit = 100;

  @CursorParam()
  cursor?: string;
}

const UNRESOLVED = {
  example: 1,
  description: 'Drives marked unresolved in this range and still unresolved (never counted as finished)',
};

export class ReportTotals {
  @ApiProperty({ example: 12 }) failed: number;
  @ApiProperty({ example: 108 }) finished: number;
  @ApiProperty(UNRESOLVED) unresolved: number;
  @ApiProperty({ example: 0.1 }) failureRate: number;
}

export class ReportBucket {
  @ApiProperty({ format: 'date-time', example: '2026-11-24T09:00:00.000Z' }) start: string;
  @ApiProperty({ example: 1 }) failed: number;
  @ApiProperty({ example: 9 }) finished: number;
  @ApiProperty(UNRESOLVED) unresolved: number;
  @ApiProperty({ example: 0.1 }) failureRate: number;
}

export class FailureReport {
  @ApiProperty({ enum: REPORT_INTERVALS }) interval: ReportInterval;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiPropertyOptional({ description: 'Present when the report is for one task' }) taskId?: string;
  @ApiPropertyOptional({ enum: DRIVE_TYPES, description: 'Present when the report is for one drive type' })
  type?: DriveType;
  @ApiProperty({ type: ReportTotals }) totals: ReportTotals;
  @ApiProperty({ type: [ReportBucket] }) buckets: ReportBucket[];
}

export class TaskReportItem {
  @ApiProperty({ example: 'task_3f9a2c1d7e5b4a60' }) taskId: string;
  @ApiProperty({ example: 7 }) failed: number;
  @ApiProperty({ example: 63 }) finished: number;
  @ApiProperty({ example: 0.1 }) failureRate: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 5200,
    description: '95th percentile of play time in the range, ms (null: no drive with a known play time)',
  })
  p95PlayMs: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 900, description: '95th percentile of queue wait, ms' })
  p95QueueWaitMs: number | null;
}

export class TaskReport {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: TASK_SORTS }) sort: TaskSort;
  @ApiProperty({ type: [TaskReportItem] }) items: TaskReportItem[];
}

export class TaskHistoryItem {
  @ApiProperty({ example: 'drive_8a2d783d9d964d94b28d' }) driveId: string;
  @ApiProperty({ enum: ['queued', 'playing', 'failed', 'finished'] }) status: string;
  @ApiProperty({ enum: [1, 2, 3, 4] }) statusCode: number;
  @ApiProperty({ enum: ['queued', 'playing', 'failed', 'finished', null], nullable: true, type: String })
  previousStatus: string | null;
  /** Null only for a stored time JavaScript cannot represent (see isoTime). */
  @ApiProperty({ format: 'date-time', type: String }) observedAt: string | null;
  @ApiProperty({ enum: ['poll', 'callback', 'producer', 'client'] }) source: string;
}

export class TaskHistoryPage {
  @ApiProperty({ example: 'task_3f9a2c1d7e5b4a60' }) taskId: string;
  @ApiProperty({ type: [TaskHistoryItem] }) items: TaskHistoryItem[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class DurationSummaryView {
  @ApiProperty({ example: 1200, description: 'Drives whose duration is known' }) count: number;
  @ApiProperty({ nullable: true, type: Number, example: 4100, description: 'ms; null when count is 0' })
  p50: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 7900 }) p90: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 9300 }) p95: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 15800 }) p99: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 31000 }) max: number | null;
}

export class DurationBucketView extends DurationSummaryView {
  @ApiProperty({ format: 'date-time', example: '2026-11-24T09:00:00.000Z' }) start: string;
}

export class DurationReport {
  @ApiProperty({ enum: DURATION_METRICS }) metric: DurationMetric;
  @ApiProperty({ enum: REPORT_INTERVALS }) interval: ReportInterval;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiPropertyOptional({ description: 'Present when the report is for one task' }) taskId?: string;
  @ApiProperty({ type: DurationSummaryView }) totals: DurationSummaryView;
  @ApiProperty({ type: [DurationBucketView] }) buckets: DurationBucketView[];
}
