import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN, ID_RULE } from '../common/ids';

const FROM = 'from must be an ISO-8601 date or date-time, e.g. 2026-11-01T00:00:00Z';
const TO = 'to must be an ISO-8601 date or date-time, e.g. 2026-11-08T00:00:00Z';

class RangeQuery {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: FROM })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: TO })
  to?: string;

  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

export class FailureReportQuery extends RangeQuery {
  @IsOptional()
  @IsIn(['hour', 'day', 'week'], { message: 'interval must be hour, day or week' })
  interval: 'hour' | 'day' | 'week' = 'hour';

  @IsOptional()
  @Matches(ID_PATTERN, { message: `taskId ${ID_RULE}` })
  taskId?: string;
}

export class TaskReportQuery extends RangeQuery {
  @IsOptional()
  @IsIn(['failures', 'failureRate'], { message: 'sort must be failures or failureRate' })
  sort: 'failures' | 'failureRate' = 'failures';

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1, { message: 'limit must be a whole number from 1 to 500' })
  @Max(500, { message: 'limit must be a whole number from 1 to 500' })
  limit = 20;
}

export class HistoryQuery extends RangeQuery {
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
