/**
 * The SLO arithmetic, pure: which aggregate rows a window reads, and what the counts mean (SLI,
 * error budget, burn rates, the multiwindow multi-burn-rate alert of Google's SRE workbook).
 * The repository reads, the service assembles, these functions compute.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The burn-rate windows an SLO reports, by name, and their length. */
export const BURN_WINDOWS = {
  '5m': 5 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
} as const;
export type BurnWindow = keyof typeof BURN_WINDOWS;
export type BurnRates = Record<BurnWindow, number>;

export interface Counts {
  good: number;
  bad: number;
}

/** [from, to) in epoch milliseconds. */
export type Range = [number, number];

/**
 * Which aggregate rows cover the window [from, to): whole UTC hours from the hourly aggregates,
 * the rest at each edge from the per-minute ones. Minutes exist from `minutesFrom` on (the
 * retention of MINUTE_RETENTION_DAYS); a head older than that cannot be read to the minute, so the
 * window then starts at the next whole hour (at most 59 minutes short of a window of days).
 * `unresolved` is the range the unresolved drives are counted over (read from the drives
 * themselves, exact to the millisecond, but kept to the same start so good and bad agree).
 * `from`, `to` and `minutesFrom` are whole minutes.
 */
export function planWindow(
  from: number,
  to: number,
  minutesFrom: number,
): { minutes: Range[]; hours: Range[]; unresolved: Range } {
  const minutes: Range[] = [];
  const hours: Range[] = [];
  if (to <= from) return { minutes, hours, unresolved: [to, to] };
  const headEnd = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const tailStart = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (headEnd >= tailStart) {
    // Inside one hour, or across one boundary without a whole hour between.
    if (from >= minutesFrom) return { minutes: [[from, to]], hours, unresolved: [from, to] };
    // Minutes gone: the whole hours the window touches are all there is (only for windows far back).
    const start = Math.floor(from / HOUR_MS) * HOUR_MS;
    return { minutes, hours: [[start, Math.ceil(to / HOUR_MS) * HOUR_MS]], unresolved: [start, to] };
  }
  let start = from;
  if (from < headEnd) {
    if (from >= minutesFrom) minutes.push([from, headEnd]);
    else start = headEnd;
  }
  hours.push([headEnd, tailStart]);
  if (tailStart < to) minutes.push([tailStart, to]);
  return { minutes, hours, unresolved: [start, to] };
}

/** The largest share of bad drives the objective allows: 1 − objective / 100. */
export const badShare = (objective: number) => 1 - objective / 100;

export interface SloStatus {
  sli: { good: number; bad: number; total: number; ratio: number };
  errorBudget: { allowedBad: number; consumedFraction: number; remainingFraction: number };
}

/**
 * SLI and error budget of a window's counts. With no drives the ratio is 1 and nothing of the
 * budget is used. With drives but a budget of zero allowed bad drives (impossible: the objective is
 * below 100) the consumed fraction would be infinite; it cannot happen here.
 */
export function sloStatus(objective: number, c: Counts): SloStatus {
  const total = c.good + c.bad;
  const allowedBad = total * badShare(objective);
  const consumedFraction = allowedBad > 0 ? c.bad / allowedBad : 0;
  return {
    sli: { good: c.good, bad: c.bad, total, ratio: total ? c.good / total : 1 },
    errorBudget: { allowedBad, consumedFraction, remainingFraction: 1 - consumedFraction },
  };
}

/** How fast a window spends the budget: (bad / total) / (1 − objective / 100); 0 with no drives. */
export function burnRate(objective: number, c: Counts): number {
  const total = c.good + c.bad;
  return total ? c.bad / total / badShare(objective) : 0;
}

export type Severity = 'critical' | 'warning';

/** One pair of the multiwindow rule: both windows must burn at least `factor`. */
export interface BurnPair {
  long: BurnWindow;
  short: BurnWindow;
  /** The share of the budget that, spent within `long`, should alert. */
  budgetFraction: number;
  severity: Severity;
  action: 'page' | 'ticket';
}

/** The SRE workbook's three pairs, strongest first. */
export const BURN_PAIRS: readonly BurnPair[] = [
  { long: '1h', short: '5m', budgetFraction: 0.02, severity: 'critical', action: 'page' },
  { long: '6h', short: '30m', budgetFraction: 0.05, severity: 'critical', action: 'page' },
  { long: '3d', short: '6h', budgetFraction: 0.1, severity: 'warning', action: 'ticket' },
];

/**
 * The burn rate that spends `budgetFraction` of a `windowDays` budget within the pair's long
 * window: fraction × window / long window (28 days: 13.44, 5.6 and 0.933).
 */
export const burnThreshold = (pair: BurnPair, windowDays: number) =>
  (pair.budgetFraction * windowDays * DAY_MS) / BURN_WINDOWS[pair.long];

export interface BurnVerdict {
  /** The strongest pair that holds, or null when none does (the alert resolves). */
  firing: (BurnPair & { threshold: number }) | null;
  /** The long window's burn rate of that pair (or of the page pair when none holds). */
  value: number;
  threshold: number;
}

/** Rounding slack: a burn exactly at the threshold (5.6 against 0.05 × 28 × 24 / 6) holds. */
const AT = 1 - 1e-9;

/** Which pair, if any, holds now: both its windows at or above its threshold. */
export function burnVerdict(rates: BurnRates, windowDays: number): BurnVerdict {
  for (const pair of BURN_PAIRS) {
    const threshold = burnThreshold(pair, windowDays);
    if (rates[pair.long] >= threshold * AT && rates[pair.short] >= threshold * AT) {
      return { firing: { ...pair, threshold }, value: rates[pair.long], threshold };
    }
  }
  const first = BURN_PAIRS[0];
  return { firing: null, value: rates[first.long], threshold: burnThreshold(first, windowDays) };
}

/**
 * The window counts ending at each of `ends`, from hourly counts beginning at `start` (one entry
 * an hour, oldest first): each sums the `windowMs` before its end. `start`, every end and
 * `windowMs` are whole hours, and every window lies within the hours given.
 */
export function windowsEndingAt(start: number, hourly: Counts[], ends: number[], windowMs: number): Counts[] {
  const prefix: Counts[] = [{ good: 0, bad: 0 }];
  for (const h of hourly) {
    const last = prefix[prefix.length - 1];
    prefix.push({ good: last.good + h.good, bad: last.bad + h.bad });
  }
  const at = (t: number) => prefix[Math.min(Math.max(0, Math.round((t - start) / HOUR_MS)), hourly.length)];
  return ends.map((end) => {
    const a = at(end - windowMs);
    const b = at(end);
    return { good: b.good - a.good, bad: b.bad - a.bad };
  });
}

/**
 * The ends of the history's buckets: the last `count` UTC days (or hours), the newest ending at
 * `end` (the current hour's end), each earlier one at a day (hour) boundary.
 */
export function bucketEnds(end: number, interval: 'day' | 'hour', count: number): number[] {
  const size = interval === 'day' ? DAY_MS : HOUR_MS;
  const lastBoundary = Math.ceil(end / size) * size - size;
  const ends = [end];
  for (let t = lastBoundary; ends.length < count; t -= size) ends.unshift(t);
  return ends;
}
