import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { isTimeKey, isUuidKey } from './cursor';

const LIMIT_RULE = 'limit must be a whole number from 1 to 500';

/** A `limit` query parameter: a whole number from 1 to 500. */
export const LimitParam = (defaultValue: number) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: defaultValue,
      description: 'Items per page',
    }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: LIMIT_RULE }),
    Min(1, { message: LIMIT_RULE }),
    Max(500, { message: LIMIT_RULE }),
  );

/** A `cursor` query parameter: the `nextCursor` of the previous page. */
export const CursorParam = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' }),
    IsOptional(),
    IsString({ message: 'cursor must be given once' }),
    MaxLength(300, { message: 'cursor is not one this service gave out' }),
  );

/** The keyset key of a list ordered by (a time, a UUID): `<epoch ms>|<uuid>`. */
export const timeIdKey = (at: Date, id: string) => `${at.getTime()}|${id}`;

/** Whether `text` is such a key (the validator a cursor of such a list is decoded with). */
export function isTimeIdKey(text: string): boolean {
  const [ms, id, extra] = text.split('|');
  return extra === undefined && id !== undefined && isTimeKey(ms) && isUuidKey(id);
}

/** The parts of a key that passed `isTimeIdKey`. */
export function parseTimeIdKey(text: string): { at: Date; id: string } {
  const [ms, id] = text.split('|');
  return { at: new Date(Number(ms)), id };
}
