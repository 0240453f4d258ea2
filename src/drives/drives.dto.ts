import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { ID_EXAMPLE, TIME_EXAMPLE } from '../common/api-docs';
import { ID_PATTERN, ID_RULE } from '../common/ids';
import { validatedFast } from '../common/validation';
import { CursorParam, LimitParam } from '../common/paging';
import { DRIVE_STATUS_BY_NAME, DriveStatusName, TASK_STATUS_NAMES, TaskStatusName } from '../zego/zego.types';

export { ID_PATTERN };

const STATUS_NAMES = Object.keys(DRIVE_STATUS_BY_NAME) as DriveStatusName[];
const TASK_STATUSES = Object.values(TASK_STATUS_NAMES);

/** How a drive was asked for: DriveByText, DriveByAudio, or a WebSocket / RTC stream. */
export const DRIVE_TYPES = ['text', 'audio', 'ws', 'rtc'] as const;
export type DriveType = (typeof DRIVE_TYPES)[number];

/** An optional `type` filter on a query (the reports, an SLO): one of the registered drive types. */
export const DriveTypeFilter = () =>
  applyDecorators(
    ApiPropertyOptional({
      enum: DRIVE_TYPES,
      description: 'Only drives of this type, as registered by their producer (not with taskId)',
    }),
    IsOptional(),
    IsIn(DRIVE_TYPES, { message: `type must be one of ${DRIVE_TYPES.join(', ')}` }),
  );

// ------------------------------------------------------------------ requests

export class TaskParams {
  @ApiProperty({ description: `Task id: ${ID_RULE}`, pattern: ID_PATTERN.source, example: ID_EXAMPLE })
  @Matches(ID_PATTERN, { message: `taskId ${ID_RULE}` })
  taskId: string;
}

export class DriveParams extends TaskParams {
  @ApiProperty({
    description: `Drive id: ${ID_RULE}`,
    pattern: ID_PATTERN.source,
    example: 'drive_8a2d783d9d964d94b28d',
  })
  @Matches(ID_PATTERN, { message: `driveId ${ID_RULE}` })
  driveId: string;
}

/** POST /tasks/:taskId/drives: the producer of a drive registers it the moment it has its id. */
export class RegisterDriveBody {
  @ApiProperty({
    description: `The DriveId ZEGO returned: ${ID_RULE}`,
    pattern: ID_PATTERN.source,
    example: 'drive_8a2d783d9d964d94b28d',
  })
  @Matches(ID_PATTERN, { message: `driveId ${ID_RULE}` })
  driveId: string;

  @ApiPropertyOptional({ enum: DRIVE_TYPES, description: 'How the drive was asked for' })
  @IsOptional()
  @IsIn(DRIVE_TYPES, { message: `type must be one of ${DRIVE_TYPES.join(', ')}` })
  type?: DriveType;

  @ApiPropertyOptional({
    description: 'The producer’s own id for the request (1-128 printable characters)',
    example: 'req-42',
  })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'requestId must be 1-128 printable ASCII characters without spaces' })
  requestId?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the producer submitted the drive (its clock); within the last 24 hours. Default: now',
    example: TIME_EXAMPLE,
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'submittedAt must be an ISO-8601 time' })
  submittedAt?: string;
}

export class PageQuery {
  @LimitParam(100)
  limit = 100;

  @CursorParam()
  cursor?: string;
}

export class DrivesQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'A status name, or several separated by commas',
    example: 'failed,finished',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value,
  )
  @IsIn(STATUS_NAMES, {
    each: true,
    message: `status must be one or more of ${STATUS_NAMES.join(', ')}, separated by commas`,
  })
  status?: DriveStatusName[];
}

// The drive page is the hot read: its parameters are checked by hand when they are plainly valid
// (anything else, and every refusal, goes through the classes above, with their messages).
const STATUS_SET = new Set<string>(STATUS_NAMES);
const PLAIN_LIMIT = /^[1-9][0-9]{0,2}$/;
validatedFast(TaskParams, (value) => {
  const { taskId, ...rest } = value as Record<string, unknown>;
  if (typeof taskId !== 'string' || !ID_PATTERN.test(taskId) || Object.keys(rest).length) return undefined;
  return Object.assign(new TaskParams(), { taskId });
});
validatedFast(DrivesQuery, (value) => {
  const query = new DrivesQuery();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') return undefined;
    if (key === 'limit') {
      if (!PLAIN_LIMIT.test(v) || Number(v) > 500) return undefined;
      query.limit = Number(v);
    } else if (key === 'cursor') {
      if (v.length > 300) return undefined;
      query.cursor = v;
    } else if (key === 'status') {
      const names = v.split(',').map((s) => s.trim());
      if (!names.every((n) => STATUS_SET.has(n))) return undefined;
      query.status = names as DriveStatusName[];
    } else return undefined;
  }
  return query;
});

// ------------------------------------------------------------------ answers

export class CountsView {
  @ApiProperty({ example: 1 }) queued: number;
  @ApiProperty({ example: 1 }) playing: number;
  @ApiProperty({ example: 2 }) failed: number;
  @ApiProperty({ example: 18 }) finished: number;
  @ApiProperty({
    example: 0,
    description:
      'Of the queued and playing drives, those marked unresolved (their task ended, or no news for too long)',
  })
  unresolved: number;
  @ApiProperty({ example: 22 }) total: number;
}

export class TaskView {
  @ApiProperty({ example: ID_EXAMPLE }) taskId: string;
  @ApiProperty({ description: 'Whether the service polls it' }) tracking: boolean;
  @ApiProperty({ enum: ['manual', 'discovery', 'callback', 'producer', 'client'], description: 'How tracking began' })
  source: string;
  @ApiProperty({
    format: 'date-time',
    example: TIME_EXAMPLE,
    nullable: true,
    type: String,
    description: 'null only for a stored time JavaScript cannot represent (PostgreSQL infinity)',
  })
  createdAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: TIME_EXAMPLE }) lastSyncedAt:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Why the last poll failed (cleared by the next success)',
  })
  lastSyncError: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description: 'When the task was seen to end; no more polls',
  })
  endedAt: string | null;
  @ApiProperty({ enum: [...TASK_STATUSES, null], nullable: true, type: String, example: 'publishing' })
  taskStatus: TaskStatusName | null;
  @ApiProperty({ nullable: true, type: String, example: null }) failReason: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'room_1' }) roomId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'stream_1' }) streamId: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: TIME_EXAMPLE }) upstreamCreatedAt:
    string | null;
  @ApiProperty({ type: CountsView }) counts: CountsView;
}

export class TaskPage {
  @ApiProperty({ type: [TaskView] }) items: TaskView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}

export class DriveView {
  @ApiProperty({ example: 'drive_8a2d783d9d964d94b28d' }) driveId: string;
  @ApiProperty({ example: ID_EXAMPLE }) taskId: string;
  @ApiProperty({ enum: STATUS_NAMES, example: 'finished' }) status: DriveStatusName;
  @ApiProperty({ enum: [1, 2, 3, 4], example: 4 }) statusCode: number;
  @ApiProperty({ format: 'date-time', example: TIME_EXAMPLE }) firstSeenAt: string;
  @ApiProperty({ format: 'date-time', example: TIME_EXAMPLE }) statusChangedAt: string;
  @ApiProperty({ format: 'date-time', example: TIME_EXAMPLE, description: 'Last time the upstream listed the drive' })
  lastSeenAt: string;
  @ApiProperty({
    enum: [...DRIVE_TYPES, null],
    nullable: true,
    type: String,
    description: 'As registered by the producer (POST /tasks/:taskId/drives); null when not registered',
  })
  type: DriveType | null;
  @ApiProperty({ nullable: true, type: String, description: 'The producer’s own request id, when registered' })
  requestId: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the producer submitted it' })
  submittedAt: string | null;
  @ApiProperty({
    enum: ['unresolved', null],
    nullable: true,
    type: String,
    description:
      'unresolved: still queued or playing when its task ended, or no news for DRIVE_STALE_AFTER_S; its status is the last known one. Cleared by its next status change',
  })
  resolution: 'unresolved' | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it was marked unresolved' })
  unresolvedAt: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'The earliest report of the drive as queued: a callback’s EventTime (the upstream’s clock), else the time of the poll that first saw it (late by up to one poll interval); null when it was first seen later on',
  })
  queuedAt: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'The earliest report of the drive as playing (same sources as queuedAt)',
  })
  playingAt: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'The earliest report of its terminal status (failed or finished); null while it runs or is unresolved',
  })
  endedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 840,
    description: 'playingAt - queuedAt in ms; null when either is unknown',
  })
  queueWaitMs: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 5120,
    description: 'endedAt - playingAt in ms (to failed or finished); null when either is unknown',
  })
  playMs: number | null;
}

export class DrivePage {
  @ApiProperty({ example: ID_EXAMPLE }) taskId: string;
  @ApiProperty({ type: CountsView }) counts: CountsView;
  @ApiProperty({ example: 0.1, description: 'failed / (failed + finished); 0 when there are none' })
  failureRate: number;
  @ApiProperty({ type: [DriveView] }) items: DriveView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class HistoryView {
  @ApiProperty({ enum: STATUS_NAMES, example: 'finished' }) status: DriveStatusName;
  @ApiProperty({ enum: [1, 2, 3, 4], example: 4 }) statusCode: number;
  @ApiProperty({ enum: [...STATUS_NAMES, null], nullable: true, type: String, example: 'playing' })
  previousStatus: DriveStatusName | null;
  @ApiProperty({ format: 'date-time', example: TIME_EXAMPLE }) observedAt: string;
  @ApiProperty({ enum: ['poll', 'callback', 'producer', 'client'] }) source: string;
}

export class DriveDetail extends DriveView {
  @ApiProperty({ type: [HistoryView], description: 'Oldest first' }) history: HistoryView[];
}
