import { OutcomeRow } from './drive-rows';

export type Interval = 'minute' | '5m' | 'hour' | 'day' | 'week';
/** The intervals answered from the per-minute aggregates (kept for MINUTE_RETENTION_DAYS). */
export const MINUTE_INTERVALS: readonly Interval[] = ['minute', '5m'];
export const INTERVAL_MS: Record<Interval, number> = {
  minute: 60_000,
  '5m': 300_000,
  hour: 3600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};
/** Which aggregates answer an interval: the per-minute ones or the hourly ones. */
export type Grain = 'minute' | 'hour';
export const grainOf = (interval: Interval): Grain => (MINUTE_INTERVALS.includes(interval) ? 'minute' : 'hour');
/** Weeks start on Monday, UTC; 1970-01-01 was a Thursday, so Mondays sit 4 days off the epoch. */
const OFFSET_MS: Record<Interval, number> = { minute: 0, '5m': 0, hour: 0, day: 0, week: 4 * 86_400_000 };
export const MAX_BUCKETS = 10_000;

export interface Bucket {
  start: string;
  failed: number;
  finished: number;
  /** Drives marked unresolved in the bucket and still unresolved (never counted as finished). */
  unresolved: number;
}

/** Drives marked unresolved in one UTC hour, or minute (and not resolved since). */
export interface UnresolvedRow {
  hour: Date;
  unresolved: number;
}

/** Start of the UTC minute, 5 minutes, hour, day or (Monday-based) week that holds `t`. */
export function floorTo(interval: Interval, t: number): number {
  const size = INTERVAL_MS[interval];
  const shifted = t - OFFSET_MS[interval];
  return t - (((shifted % size) + size) % size);
}

/** The first bucket start at or after `t`. */
export function ceilTo(interval: Interval, t: number): number {
  const floor = floorTo(interval, t);
  return floor === t ? t : floor + INTERVAL_MS[interval];
}

/**
 * Folds hourly (or per-minute) outcome rows into buckets of `interval` covering [from, to), every bucket present
 * (empty ones as zeros) so a chart needs no gap filling. `from` is rounded down to a bucket start.
 */
export function toBuckets(
  rows: readonly OutcomeRow[],
  interval: Interval,
  from: number,
  to: number,
  unresolved: readonly UnresolvedRow[] = [],
): Bucket[] {
  const size = INTERVAL_MS[interval];
  const first = floorTo(interval, from);
  const count = Math.max(0, Math.ceil((to - first) / size));
  const buckets = Array.from({ length: count }, (_, i) => ({
    start: new Date(first + i * size).toISOString(),
    failed: 0,
    finished: 0,
    unresolved: 0,
  }));
  for (const row of rows) {
    const index = Math.floor((row.hour.getTime() - first) / size);
    if (index < 0 || index >= count) continue;
    buckets[index].failed += row.failed;
    buckets[index].finished += row.finished;
  }
  for (const row of unresolved) {
    const index = Math.floor((row.hour.getTime() - first) / size);
    if (index >= 0 && index < count) buckets[index].unresolved += row.unresolved;
  }
  return buckets;
}
