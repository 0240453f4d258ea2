import fc from 'fast-check';
import {
  BUCKET_RELATIVE_WIDTH,
  bucketRange,
  bucketValue,
  durationBucket,
  MAX_DURATION_MS,
  planTimings,
  summarize,
} from '../../src/drives/durations';
import { planTransitions } from '../../src/drives/drive-transitions';
import { DriveStatusCode } from '../../src/zego/zego.types';

/** percentile_disc: the first value at or below which at least p % of the values fall. */
const exact = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p * sorted.length) / 100) - 1)];
};

describe('duration histogram', () => {
  it('puts every value in the bucket whose range holds it, buckets in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (ms) => {
        const b = durationBucket(ms);
        const [lo, hi] = bucketRange(b);
        expect(ms).toBeGreaterThanOrEqual(lo);
        expect(ms).toBeLessThan(hi);
        expect((hi - lo - 1) / Math.max(lo, 1)).toBeLessThanOrEqual(BUCKET_RELATIVE_WIDTH);
        if (ms > 0) expect(durationBucket(ms - 1)).toBeLessThanOrEqual(b);
      }),
      { numRuns: 5000 },
    );
    // Contiguous: each bucket starts where the one before ends.
    for (let b = 1; b <= durationBucket(MAX_DURATION_MS); b++) expect(bucketRange(b)[0]).toBe(bucketRange(b - 1)[1]);
    expect([0, 31, 32, 63, 64, 65, 1000, 3_600_000].map(durationBucket)).toEqual([0, 31, 32, 63, 64, 64, 190, 566]);
    expect(durationBucket(-5)).toBe(0);
    expect(durationBucket(1e12)).toBe(durationBucket(MAX_DURATION_MS));
  });

  it('reports percentiles within the bucket width of percentile_disc', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 400 }), (values) => {
        const histogram = new Map<number, number>();
        for (const v of values) histogram.set(durationBucket(v), (histogram.get(durationBucket(v)) ?? 0) + 1);
        const s = summarize(histogram);
        expect(s.count).toBe(values.length);
        for (const p of [50, 90, 95, 99] as const) {
          const want = exact(values, p);
          expect(Math.abs(s[`p${p}`]! - want)).toBeLessThanOrEqual(Math.max(1, want * BUCKET_RELATIVE_WIDTH));
        }
        const max = Math.max(...values);
        expect(Math.abs(s.max! - max)).toBeLessThanOrEqual(Math.max(1, max * BUCKET_RELATIVE_WIDTH));
      }),
      { numRuns: 500 },
    );
    expect(summarize(new Map())).toEqual({ count: 0, p50: null, p90: null, p95: null, p99: null, max: null });
    expect(bucketValue(durationBucket(17))).toBe(17); // exact below 64 ms
  });
});

describe('drive timings', () => {
  const T = Date.parse('2026-11-29T10:15:00Z');
  const plan = (
    stored: Map<string, { status: DriveStatusCode; timings: any }>,
    observed: Array<{ driveId: string; status: DriveStatusCode }>,
    at: number,
  ) => {
    const transitions = planTransitions(
      new Map([...stored].map(([driveId, s]) => [driveId, { driveId, status: s.status, missing: false }])),
      observed,
      false,
    );
    return planTimings(stored, observed, transitions, at);
  };

  it('takes the earliest report of each status, and counts a drive once per metric', () => {
    // Out of order: finished first, then playing, then queued, each with its own time.
    let stored = new Map<string, { status: DriveStatusCode; timings: any }>();
    const steps: Array<[DriveStatusCode, number]> = [
      [4, T + 6000],
      [2, T + 1000],
      [1, T],
    ];
    const cells = new Map<string, number>();
    for (const [status, at] of steps) {
      const p = plan(stored, [{ driveId: 'd', status }], at);
      for (const d of p.deltas) {
        const key = `${d.metric}:${d.bucket}`;
        cells.set(key, (cells.get(key) ?? 0) + d.drives);
      }
      const t = p.timings.get('d') ?? stored.get('d')!.timings;
      stored = new Map([['d', { status: 4, timings: t }]]);
    }
    expect(stored.get('d')!.timings).toEqual({ queuedAt: T, playingAt: T + 1000, endedAt: T + 6000 });
    expect([...cells].filter(([, n]) => n !== 0)).toEqual([
      [`2:${durationBucket(5000)}`, 1],
      [`1:${durationBucket(1000)}`, 1],
    ]);
    // A later report of a known status changes nothing; the other terminal status is not an end.
    expect(plan(stored, [{ driveId: 'd', status: 2 }], T + 3000)).toEqual({ timings: new Map(), deltas: [] });
    expect(plan(stored, [{ driveId: 'd', status: 3 }], T + 10)).toEqual({ timings: new Map(), deltas: [] });
    // An earlier one moves the drive from its old cells to its new ones.
    const moved = plan(stored, [{ driveId: 'd', status: 2 }], T + 500);
    expect(moved.deltas).toEqual(
      expect.arrayContaining([
        { metric: 1, minute: Date.parse('2026-11-29T10:15:00Z'), bucket: durationBucket(1000), drives: -1 },
        { metric: 1, minute: Date.parse('2026-11-29T10:15:00Z'), bucket: durationBucket(500), drives: 1 },
        { metric: 2, minute: Date.parse('2026-11-29T10:15:00Z'), bucket: durationBucket(5000), drives: -1 },
        { metric: 2, minute: Date.parse('2026-11-29T10:15:00Z'), bucket: durationBucket(5500), drives: 1 },
      ]),
    );
  });

  it('leaves a duration unknown when a side is, and never negative', () => {
    const first = plan(new Map(), [{ driveId: 'd', status: 2 }], T);
    expect(first.timings.get('d')).toEqual({ queuedAt: null, playingAt: T, endedAt: null });
    expect(first.deltas).toEqual([]);
    // Queued reported later than playing (clocks disagree): a wait of 0, not a negative one.
    const late = plan(
      new Map([['d', { status: 2, timings: first.timings.get('d') }]]),
      [{ driveId: 'd', status: 1 }],
      T + 50,
    );
    expect(late.deltas).toEqual([{ metric: 1, minute: Date.parse('2026-11-29T10:15:00Z'), bucket: 0, drives: 1 }]);
  });
});
