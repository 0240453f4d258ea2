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
