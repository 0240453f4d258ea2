import { BadRequestException } from '@nestjs/common';

/**
 * Reads an ISO-8601 date or date-time from a query parameter; a date alone or a time without a
 * zone is taken as UTC, whatever the server's time zone. Throws a 400 naming the parameter.
 */
export function parseTime(name: string, value: string): number {
  let text = value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text = `${text}T00:00:00Z`;
  else if (/T/i.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) text = `${text}Z`;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new BadRequestException(`${name} is not a valid date`);
  return ms;
}

/**
 * A stored time as ISO-8601, or null when JavaScript cannot represent it (PostgreSQL's
 * `infinity`, or a year beyond ±271,821): such a row still reads, it never breaks an answer.
 */
export function isoTime(at: Date): string | null;
export function isoTime(at: Date | null | undefined): string | null;
export function isoTime(at: Date | null | undefined): string | null {
  return at instanceof Date && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
}
