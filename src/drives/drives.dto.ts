import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DRIVE_STATUS_BY_NAME, DriveStatusName, TaskStatusName } from '../zego/zego.types';

import { ID_PATTERN, ID_RULE } from '../common/ids';

export { ID_PATTERN };

export class TaskParams {
  @Matches(ID_PATTERN, { message: `taskId ${ID_RULE}` })
  taskId: string;
}

export class DriveParams extends TaskParams {
  @Matches(ID_PATTERN, { message: `driveId ${ID_RULE}` })
  driveId: string;
}

export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit = 100;

  @IsOptional()
  @IsString({ message: 'cursor must be given once' })
  @MaxLength(300, { message: 'cursor is not one this service gave out' })
  cursor?: string;
}

const STATUS_NAMES = Object.keys(DRIVE_STATUS_BY_NAME) as DriveStatusName[];

export class DrivesQuery extends PageQuery {
  /** One status name or several separated by commas. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @IsIn(STATUS_NAMES, { each: true, message: `status must be one or more of ${STATUS_NAMES.join(', ')}, separated by commas` })
  status?: DriveStatusName[];
}

export class FailuresQuery {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 date or date-time, e.g. 2026-11-01T00:00:00Z' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 date or date-time, e.g. 2026-11-02T00:00:00Z' })
  to?: string;

  @IsOptional()
  @IsIn(['hour', 'day'], { message: 'interval must be hour or day' })
  interval: 'hour' | 'day' = 'hour';
}

export interface CountsView {
  queued: number;
  playing: number;
  failed: number;
  finished: number;
  total: number;
}

export interface TaskView {
  taskId: string;
  tracking: boolean;
  source: string;
  createdAt: string;
  lastSyncedAt: string | null;
  lastSyncError: string | null;
  endedAt: string | null;
  taskStatus: TaskStatusName | null;
  failReason: string | null;
  roomId: string | null;
  streamId: string | null;
  upstreamCreatedAt: string | null;
  counts: CountsView;
}

export interface DriveView {
  driveId: string;
  taskId: string;
  status: DriveStatusName;
  statusCode: number;
  firstSeenAt: string;
  statusChangedAt: string;
  lastSeenAt: string;
}

export interface HistoryView {
  status: DriveStatusName;
  statusCode: number;
  previousStatus: DriveStatusName | null;
  observedAt: string;
  source: string;
}
