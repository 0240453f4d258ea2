import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ID_EXAMPLE } from '../common/api-docs';
import { ID_PATTERN, ID_RULE } from '../common/ids';
import { CursorParam, LimitParam } from '../common/paging';
import { DRIVE_TYPES, type DriveType, DriveTypeFilter } from '../drives/drives.dto';

const OBJECTIVE_RULE = 'objective must be a percentage above 50 and below 100 (e.g. 99.5)';
const WINDOW_RULE = 'windowDays must be a whole number of days from 1 to 90';

export class CreateSloBody {
  @ApiProperty({ example: 'avatar drives finish', minLength: 1, maxLength: 200 })
  // Checked bottom-up, one failure reported: the type first.
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  @MinLength(1, { message: 'name must not be empty' })
  @IsString({ message: 'name must be text' })
  name: string;

  @ApiProperty({ description: 'Percent of drives that must finish, above 50 and below 100', example: 99.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: OBJECTIVE_RULE })
  objective: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 28, description: 'The rolling window, days' })
  @IsOptional()
  @Max(90, { message: WINDOW_RULE })
  @Min(1, { message: WINDOW_RULE })
  @IsInt({ message: WINDOW_RULE })
  windowDays?: number;

  @ApiPropertyOptional({
    description: `Only this task (${ID_RULE}); unset: every task`,
    pattern: ID_PATTERN.source,
    example: ID_EXAMPLE,
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `taskId ${ID_RULE}` })
  taskId?: string;

  @DriveTypeFilter()
  type?: DriveType;
}

export class SloParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be an SLO id (a UUID)' })
  id: string;
}

export class SloPageQuery {
  @LimitParam(50)
  limit = 50;

  @CursorParam()
  cursor?: string;
}

export const HISTORY_INTERVALS = ['day', 'hour'] as const;

export class SloHistoryQuery {
  @ApiPropertyOptional({
    enum: HISTORY_INTERVALS,
    default: 'day',
    description: 'day: one bucket per UTC day of the window; hour: the last 48 hours',
  })
  @IsOptional()
  @IsIn(HISTORY_INTERVALS, { message: 'interval must be day or hour' })
  interval: 'day' | 'hour' = 'day';
}

// ------------------------------------------------------------------ answers

export class SloView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 99.5 }) objective: number;
  @ApiProperty({ example: 28 }) windowDays: number;
  @ApiProperty({ nullable: true, type: String, description: 'null: every task' }) taskId: string | null;
  @ApiProperty({ nullable: true, enum: DRIVE_TYPES, type: String, description: 'null: every drive type' })
  type: DriveType | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SloList {
  @ApiProperty({ type: [SloView] }) items: SloView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class SliView {
  @ApiProperty({ description: 'Drives that finished in the window' }) good: number;
  @ApiProperty({ description: 'Drives that failed, or were marked unresolved and still are, in the window' })
  bad: number;
  @ApiProperty() total: number;
  @ApiProperty({ description: 'good / total; 1 with no drives', example: 0.998 }) ratio: number;
}

export class ErrorBudgetView {
  @ApiProperty({ description: 'total × (1 − objective / 100)' }) allowedBad: number;
  @ApiProperty({ description: 'bad / allowedBad (0 with no drives)' }) consumedFraction: number;
  @ApiProperty({ description: '1 − consumedFraction; negative when overspent' }) remainingFraction: number;
}

export class BurnRatesView {
  @ApiProperty({ name: '5m' }) '5m': number;
  @ApiProperty({ name: '30m' }) '30m': number;
  @ApiProperty({ name: '1h' }) '1h': number;
  @ApiProperty({ name: '6h' }) '6h': number;
  @ApiProperty({ name: '1d' }) '1d': number;
  @ApiProperty({ name: '3d' }) '3d': number;
}

export class SloStatusView extends SloView {
  @ApiProperty({ type: SliView }) sli: SliView;
  @ApiProperty({ type: ErrorBudgetView }) errorBudget: ErrorBudgetView;
  @ApiProperty({
    type: BurnRatesView,
    description: '(bad / total) / (1 − objective / 100) over each window ending now; 0 with no drives',
  })
  burnRates: BurnRatesView;
}

export class SloHistoryBucket {
  @ApiProperty({ format: 'date-time', description: 'The end of the bucket (the last one: the end of this hour)' })
  end: string;
  @ApiProperty({ description: 'Good drives of the window ending here' }) good: number;
  @ApiProperty({ description: 'Bad drives of the window ending here' }) bad: number;
  @ApiProperty({ description: 'Budget left at the end of the bucket; negative when overspent' })
  remainingFraction: number;
}

export class SloHistory {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: HISTORY_INTERVALS }) interval: string;
  @ApiProperty({ type: [SloHistoryBucket] }) buckets: SloHistoryBucket[];
}
