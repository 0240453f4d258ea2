/** A value as the text of one cell: dates and other objects as JSON, nothing for null. */
const cell = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'
        ? String(v)
        : JSON.stringify(v);

/** RFC 4180 CSV with a header row; a field is quoted when it holds a comma, quote or line break. */
export function toCsv<T extends object>(columns: Array<keyof T & string>, rows: readonly T[]): string {
  const field = (v: unknown) => {
    const s = cell(v);
    // OWASP's rule against CSV injection: text starting with = + - @ tab or carriage return would
    // be run as a formula by spreadsheet programs, so it gets a leading ' (and quotes). Numbers
    // are written as numbers and need no guard.
    const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n\t']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\r\n') + '\r\n';
}
