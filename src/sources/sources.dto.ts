import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { TIME_EXAMPLE } from '../common/api-docs';

/** Where a drive's status can come from (history `source`). */
export const STATUS_SOURCES = ['callback', 'poll', 'client', 'producer'] as const;
export type StatusSource = (typeof STATUS_SOURCES)[number];

export class SourcesQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    example: TIME_EXAMPLE,
    description: 'Start (inclusive). Default: 24 hours before `to`',
  })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO-8601 time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End (exclusive). Default: now' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO-8601 time' })
  to?: string;
}

export class SourceEnds {
  @ApiProperty({ enum: STATUS_SOURCES }) source: StatusSource;
  @ApiProperty({ example: 2, description: 'Drives that reached failed through this source' }) failed: number;
  @ApiProperty({ example: 40, description: 'Drives that reached finished through this source' }) finished: number;
  @ApiProperty({ example: 42 }) ends: number;
  @ApiProperty({ example: 0.7, description: 'ends / all ends in the range (0 when there are none)' }) share: number;
}

export class SourcesReport {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ example: 60, description: 'Drives that ended (failed or finished) in the range' }) ends: number;
  @ApiProperty({
    type: [SourceEnds],
    description: 'One entry per source, every source present (0 when none): which route told the service first',
  })
  sources: SourceEnds[];
  @ApiProperty({
    example: 3,
    description: 'Drives marked unresolved in the range and still unresolved: ends no route reported',
  })
  unresolved: number;
}
