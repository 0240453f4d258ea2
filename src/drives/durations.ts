import { DriveStatusCode } from '../zego/zego.types';
import { ObservedDrive, TransitionPlan } from './drive-transitions';

/**
 * Drive timings and their histograms.
 *
 * A duration in whole milliseconds falls in one of 864 fixed buckets: below 32 ms one bucket per
 * millisecond; above, each power of two is cut into 32 equal steps (the top five bits of the
 * value), so a bucket is at most 1/32 (3.1 %) of its lower bound wide. Integer arithmetic only,
 * so the migration's SQL `duration_bucket()` puts every value in the same bucket as this code.
 * Longer than 2^31 - 1 ms (24.8 days) counts as that.
 */
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
export const MAX_DURATION_MS = 2 ** 31 - 1;
/** The widest a bucket is, relative to its lower bound. */
export const BUCKET_RELATIVE_WIDTH = 1 / SUB;

export type DurationMetric = 'queue_wait' | 'play';
export const DURATION_METRICS: readonly DurationMetric[] = ['queue_wait', 'play'];
/** How a metric is stored in the histogram tables. */
export const METRIC_CODE: Record<DurationMetric, 1 | 2> = { queue_wait: 1, play: 2 };

export function durationBucket(ms: number): number {
  const d = Math.min(Math.max(0, Math.floor(ms)), MAX_DURATION_MS);
  if (d < SUB) return d;
  const e = 31 - Math.clz32(d); // floor(log2(d)), at least SUB_BITS here
  return SUB + (e - SUB_BITS) * SUB + ((d >>> (e - SUB_BITS)) - SUB);
}

/** The whole milliseconds a bucket holds: [lo, hi). */
export function bucketRange(bucket: number): [number, number] {
  if (bucket < SUB) return [bucket, bucket + 1];
  const k = bucket - SUB;
  const step = 2 ** Math.floor(k / SUB);
  const lo = ((k % SUB) + SUB) * step;
  return [lo, lo + step];
}

/** The value a bucket stands for in reports: the middle of its range, in whole ms (within 1.6 %). */
export function bucketValue(bucket: number): number {
  const [lo, hi] = bucketRange(bucket);
  return Math.round((lo + hi - 1) / 2);
}

export const PERCENTILES = [50, 90, 95, 99] as const;

export interface DurationSummary {
  count: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** The summary of a histogram without drives. */
export const NO_DRIVES: Readonly<DurationSummary> = { count: 0, p50: null, p90: null, p95: null, p99: null, max: null };

/** Number of buckets: every bucket index is below this. */
export const BUCKETS = durationBucket(MAX_DURATION_MS) + 1;

/** A histogram as an array of counts indexed by bucket. */
export const emptyHistogram = () => new Float64Array(BUCKETS);

/** Adds a packed histogram ((int2 bucket, int4 drives) pairs, big-endian) into `into`. */
export function addPacked(into: Float64Array, packed: Uint8Array): void {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  for (let i = 0; i + 6 <= packed.byteLength; i += 6) into[view.getInt16(i)] += view.getInt32(i + 2);
}

/**
 * Percentiles of a histogram (counts by bucket), with the meaning of SQL's percentile_disc: the
 * p-th percentile is the first value at or below which at least p % of the drives fall.
 */
export function summarize(histogram: ReadonlyMap<number, number> | Float64Array): DurationSummary {
  const counts = histogram instanceof Float64Array ? histogram : emptyHistogram();
  if (!(histogram instanceof Float64Array)) for (const [b, n] of histogram) counts[b] += n;
  let count = 0;
  let last = -1;
  for (let b = 0; b < counts.length; b++) {
    if (counts[b] > 0) {
      count += counts[b];
      last = b;
    }
  }
  if (!count) return NO_DRIVES;
  const summary: DurationSummary = { ...NO_DRIVES, count };
  let cumulative = 0;
  let next = 0;
  for (let b = 0; b <= last && next < PERCENTILES.length; b++) {
    if (counts[b] <= 0) continue;
    cumulative += counts[b];
    // The rank of the p-th percentile is ceil(p * count / 100), in integers.
    while (next < PERCENTILES.length && cumulative * 100 >= PERCENTILES[next] * count) {
      summary[`p${PERCENTILES[next]}`] = bucketValue(b);
      next += 1;
    }
  }
  summary.max = bucketValue(last);
  return summary;
}

/** When a drive was first reported queued, playing and ended (ms since the epoch). */
export interface DriveTimings {
  queuedAt: number | null;
  playingAt: number | null;
  endedAt: number | null;
}

export const NO_TIMINGS: DriveTimings = { queuedAt: null, playingAt: null, endedAt: null };

/** Queue wait (queued -> playing) and play time (playing -> ended); null when a side is unknown. */
export function derivedDurations(t: DriveTimings): { queueWaitMs: number | null; playMs: number | null } {
  const span = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(0, b - a));
  return { queueWaitMs: span(t.queuedAt, t.playingAt), playMs: span(t.playingAt, t.endedAt) };
}

export const MINUTE_MS = 60_000;

/** One histogram cell changed by an observation. */
export interface HistogramDelta {
  metric: 1 | 2;
  /**
   * Start of the UTC minute the drive started playing (queue wait) or ended (play); the hourly
   * histograms take the hour that holds it.
   */
  minute: number;
  bucket: number;
  drives: number;
}

/** The histogram cells a drive occupies with these timings (at most one per metric). */
function cells(t: DriveTimings): Array<Omit<HistogramDelta, 'drives'>> {
  const { queueWaitMs, playMs } = derivedDurations(t);
  const out: Array<Omit<HistogramDelta, 'drives'>> = [];
  if (queueWaitMs !== null)
    out.push({ metric: 1, minute: t.playingAt! - (t.playingAt! % MINUTE_MS), bucket: durationBucket(queueWaitMs) });
  if (playMs !== null)
    out.push({ metric: 2, minute: t.endedAt! - (t.endedAt! % MINUTE_MS), bucket: durationBucket(playMs) });
  return out;
}

export interface TimingPlan {
  /** New timings of every drive whose timings change (including drives seen for the first time). */
  timings: Map<string, DriveTimings>;
  /** Net change of the task's histogram cells (zero entries left out). */
  deltas: HistogramDelta[];
}

/**
 * What an observation made at `at` changes in drive timings. Each time is the earliest report of
 * its status: a later report of the same status changes nothing, an earlier one (a callback's
 * EventTime arriving after a poll saw the status, or events out of order) replaces it, and the
 * histograms move the drive from its old cells to its new ones. An end time is taken only from a
 * report of the status the drive ended with. Pure.
 */
export function planTimings(
  stored: ReadonlyMap<string, { status: DriveStatusCode; timings: DriveTimings }>,
  observed: readonly ObservedDrive[],
  plan: Pick<TransitionPlan, 'changes'>,
  at: number,
): TimingPlan {
  const finalStatus = new Map<string, DriveStatusCode>();
  for (const c of plan.changes) finalStatus.set(c.driveId, c.to);
  const next = new Map<string, DriveTimings>();
  for (const { driveId, status } of observed) {
    const current = finalStatus.get(driveId) ?? stored.get(driveId)?.status;
    if (current === undefined) continue;
    const t = next.get(driveId) ?? { ...(stored.get(driveId)?.timings ?? NO_TIMINGS) };
    const key = status === 1 ? 'queuedAt' : status === 2 ? 'playingAt' : status === current ? 'endedAt' : null;
    if (key && (t[key] === null || at < t[key])) t[key] = at;
    next.set(driveId, t);
  }
  const timings = new Map<string, DriveTimings>();
  const sums = new Map<string, HistogramDelta>();
  const add = (cell: Omit<HistogramDelta, 'drives'>, n: number) => {
    const key = `${cell.metric}:${cell.minute}:${cell.bucket}`;
    const entry = sums.get(key) ?? { ...cell, drives: 0 };
    entry.drives += n;
    sums.set(key, entry);
  };
  for (const [driveId, t] of next) {
    const before = stored.get(driveId)?.timings ?? NO_TIMINGS;
    if (before.queuedAt === t.queuedAt && before.playingAt === t.playingAt && before.endedAt === t.endedAt) continue;
    timings.set(driveId, t);
    for (const cell of cells(before)) add(cell, -1);
    for (const cell of cells(t)) add(cell, +1);
  }
  return { timings, deltas: [...sums.values()].filter((d) => d.drives !== 0) };
}
