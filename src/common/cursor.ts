import { BadRequestException } from '@nestjs/common';

/** Opaque keyset cursors: the key of the last item returned, tagged with the list it came from. */
export function encodeCursor(list: string, after: string): string {
  return Buffer.from(JSON.stringify({ l: list, a: after })).toString('base64url');
}

const MAX_BIGINT = 9223372036854775807n;

/** Digits that fit a PostgreSQL bigint: the row key a keyset cursor carries. */
export function isBigintKey(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= MAX_BIGINT;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID as PostgreSQL prints it (lowercase, hyphenated): 36 hyphens have the length, not the form. */
export function isUuidKey(text: string): boolean {
  return UUID.test(text);
}

/**
 * Milliseconds since the epoch that a row's time can hold: from 1970 to the year 9999, the range
 * every layer (JavaScript, Prisma, PostgreSQL, ISO 8601 without an expanded year) agrees on.
 */
export function isTimeKey(text: string): boolean {
  return /^\d{1,15}$/.test(text) && Number(text) <= MAX_TIME_MS;
}

const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The key a list's cursor carries, checked with `valid` (every list names the exact form of its
 * keys: a cursor that passes reaches a query, so its key must be one the query can take). Any other
 * cursor, forged or from another list, is a 400 that names it.
 */
export function decodeCursor(
  list: string,
  cursor: string | undefined,
  valid: (after: string) => boolean,
): string | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const value = parsed as { l?: unknown; a?: unknown } | null;
  if (!value || value.l !== list || typeof value.a !== 'string' || !valid(value.a)) {
    throw new BadRequestException('cursor is not one this list gave out; start again without it');
  }
  return value.a;
}
