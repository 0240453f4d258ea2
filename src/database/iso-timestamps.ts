import { types, type CustomTypesConfig } from 'pg';

const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => Date;

/**
 * PostgreSQL's text form of a `timestamptz` turned straight into the ISO-8601 string the API
 * returns (`2026-11-24 13:17:45.25+00` -> `2026-11-24T13:17:45.250Z`), without building a Date.
 *
 * The pool's sessions run in UTC (see prisma.service.ts), so the value normally ends in `+00` and
 * only needs its characters moved. Anything else (another offset, a five-digit or BC year) goes
 * through pg's own parser and `Date#toISOString`, so the answer is always the same as that path's.
 * Milliseconds are truncated, as `Date` does with microseconds.
 */
export function isoFromTimestamptz(text: string): string | null {
  const n = text.length;
  if (n >= 22 && text.endsWith('+00') && text.charCodeAt(4) === 45 /* - */ && text.charCodeAt(10) === 32 /* space */) {
    const afterSeconds = text.charCodeAt(19);
    if (afterSeconds === 43 /* + : whole seconds */ && n === 22)
      return `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`;
    if (afterSeconds === 46 /* . */ && n >= 24)
      return `${text.slice(0, 10)}T${text.slice(11, 19)}.${(text.slice(20, n - 3) + '00').slice(0, 3)}Z`;
  }
  // pg gives a Date, or a number for ±infinity; a time JavaScript cannot hold is shown as null.
  const parsed = parseTimestamptz(text) as Date | number;
  return parsed instanceof Date && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : null;
}

/**
 * Type parsers for read queries whose timestamps go straight into a JSON answer: `timestamptz`
 * columns arrive as ISO-8601 strings; every other type is parsed as pg normally does. Parsing each
 * timestamp into a Date only to print it again was the largest single cost of a drive page.
 */
export const ISO_TIMESTAMPS: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary'
      ? isoFromTimestamptz
      : (types.getTypeParser(oid, format) as (value: string) => unknown)) as CustomTypesConfig['getTypeParser'],
};
