import { checkRuleSettings, shouldFire, shouldResolve } from '../../src/alerts/alert-conditions';
import {
  bucketEnds,
  BURN_PAIRS,
  burnRate,
  burnThreshold,
  burnVerdict,
  BurnRates,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  planWindow,
  sloStatus,
  windowsEndingAt,
} from '../../src/slos/slo-math';

const T0 = Date.UTC(2026, 10, 30, 0, 0); // a UTC midnight
const rates = (r: Partial<BurnRates>): BurnRates => ({ '5m': 0, '30m': 0, '1h': 0, '6h': 0, '1d': 0, '3d': 0, ...r });

describe('SLO arithmetic', () => {
  it('answers an empty window with ratio 1, no budget used and burn 0', () => {
    expect(sloStatus(99, { good: 0, bad: 0 })).toEqual({
      sli: { good: 0, bad: 0, total: 0, ratio: 1 },
      errorBudget: { allowedBad: 0, consumedFraction: 0, remainingFraction: 1 },
    });
    expect(burnRate(99, { good: 0, bad: 0 })).toBe(0);
  });

  it('computes SLI and budget by hand: 990 good, 4 bad at 99 %', () => {
    // total 994, allowed 9.94 bad, consumed 4 / 9.94 = 0.40241..., remaining 0.59758...
    const s = sloStatus(99, { good: 990, bad: 4 });
    expect(s.sli).toEqual({ good: 990, bad: 4, total: 994, ratio: 990 / 994 });
    expect(s.errorBudget.allowedBad).toBeCloseTo(9.94, 10);
    expect(s.errorBudget.consumedFraction).toBeCloseTo(0.402414487, 8);
    expect(s.errorBudget.remainingFraction).toBeCloseTo(0.597585513, 8);
  });

  it('goes negative when the budget is overspent', () => {
    // 90 good, 10 bad at 95 %: allowed 5, consumed 2, remaining -1.
    const s = sloStatus(95, { good: 90, bad: 10 });
    expect(s.errorBudget.allowedBad).toBeCloseTo(5, 10);
    expect(s.errorBudget.consumedFraction).toBeCloseTo(2, 10);
    expect(s.errorBudget.remainingFraction).toBeCloseTo(-1, 10);
    // Every drive bad at 99.9 %: burn 1000, a thousand budgets spent.
    expect(sloStatus(99.9, { good: 0, bad: 3 }).errorBudget.remainingFraction).toBeCloseTo(-999, 6);
  });

  it('computes burn rates by hand', () => {
    // 2 bad of 100 at 99 %: 0.02 / 0.01 = 2.
    expect(burnRate(99, { good: 98, bad: 2 })).toBeCloseTo(2, 10);
    // 1 bad of 4 at 75 %: exactly on budget.
    expect(burnRate(75, { good: 3, bad: 1 })).toBeCloseTo(1, 10);
  });

  it('scales the burn thresholds to the SLO window (28 days: 13.44, 5.6, 0.933)', () => {
    expect(BURN_PAIRS.map((p) => burnThreshold(p, 28))).toEqual([
      expect.closeTo(13.44, 10),
      expect.closeTo(5.6, 10),
      expect.closeTo(0.9333333333, 8),
    ]);
    // 30 days: 14.4, 6, 1.
    expect(BURN_PAIRS.map((p) => burnThreshold(p, 30))).toEqual([
      expect.closeTo(14.4, 10),
      expect.closeTo(6, 10),
      expect.closeTo(1, 10),
    ]);
  });

  it('fires only when both windows of a pair hold, the strongest pair first', () => {
    expect(burnVerdict(rates({}), 28).firing).toBeNull();
    // The long window alone does not page (the burn already stopped).
    expect(burnVerdict(rates({ '1h': 20, '5m': 1 }), 28).firing).toBeNull();
    const page = burnVerdict(rates({ '1h': 20, '5m': 14, '6h': 6, '30m': 6 }), 28);
    expect(page.firing).toMatchObject({ long: '1h', severity: 'critical', action: 'page' });
    expect(page.value).toBe(20);
    expect(page.threshold).toBeCloseTo(13.44, 10);
    expect(burnVerdict(rates({ '6h': 5.6, '30m': 5.6 }), 28).firing).toMatchObject({ long: '6h', action: 'page' });
    const ticket = burnVerdict(rates({ '3d': 1, '6h': 0.95 }), 28);
    expect(ticket.firing).toMatchObject({ long: '3d', severity: 'warning', action: 'ticket' });
    expect(burnVerdict(rates({ '3d': 1, '6h': 0.9 }), 28).firing).toBeNull();
  });

  it('reads whole hours from the hourly aggregates and the edges from the minutes', () => {
    const from = T0 + 10 * MINUTE_MS;
    const to = T0 + 3 * HOUR_MS + 7 * MINUTE_MS;
    expect(planWindow(from, to, T0 - DAY_MS)).toEqual({
      minutes: [
        [from, T0 + HOUR_MS],
        [T0 + 3 * HOUR_MS, to],
      ],
      hours: [[T0 + HOUR_MS, T0 + 3 * HOUR_MS]],
      unresolved: [from, to],
    });
    // Under an hour: minutes only, even across an hour boundary.
    expect(planWindow(T0 + 50 * MINUTE_MS, T0 + 65 * MINUTE_MS, T0)).toEqual({
      minutes: [[T0 + 50 * MINUTE_MS, T0 + 65 * MINUTE_MS]],
      hours: [],
      unresolved: [T0 + 50 * MINUTE_MS, T0 + 65 * MINUTE_MS],
    });
    // Whole hours at both ends: no minutes at all.
    expect(planWindow(T0, T0 + 2 * HOUR_MS, T0)).toEqual({
      minutes: [],
      hours: [[T0, T0 + 2 * HOUR_MS]],
      unresolved: [T0, T0 + 2 * HOUR_MS],
    });
  });

  it('starts at the next whole hour when the minutes of the head are gone', () => {
    const from = T0 + 10 * MINUTE_MS;
    const to = T0 + 3 * HOUR_MS + 7 * MINUTE_MS;
    expect(planWindow(from, to, T0 + 2 * HOUR_MS)).toEqual({
      minutes: [[T0 + 3 * HOUR_MS, to]],
      hours: [[T0 + HOUR_MS, T0 + 3 * HOUR_MS]],
      unresolved: [T0 + HOUR_MS, to],
    });
  });

  it('sums rolling windows over hourly counts', () => {
    // Six hours: 1 good each, and 1 bad in hour 2 and hour 5.
    const hourly = [0, 1, 2, 3, 4, 5].map((h) => ({ good: 1, bad: h === 2 || h === 5 ? 1 : 0 }));
    const ends = [T0 + 3 * HOUR_MS, T0 + 6 * HOUR_MS];
    expect(windowsEndingAt(T0, hourly, ends, 3 * HOUR_MS)).toEqual([
      { good: 3, bad: 1 },
      { good: 3, bad: 1 },
    ]);
    expect(windowsEndingAt(T0, hourly, [T0 + 5 * HOUR_MS], 2 * HOUR_MS)).toEqual([{ good: 2, bad: 0 }]);
  });

  it('places the history buckets at UTC boundaries, the newest at the end given', () => {
    const end = T0 + 14 * HOUR_MS;
    expect(bucketEnds(end, 'day', 3)).toEqual([T0 - DAY_MS, T0, end]);
    expect(bucketEnds(T0, 'day', 2)).toEqual([T0 - DAY_MS, T0]);
    expect(bucketEnds(end, 'hour', 2)).toEqual([end - HOUR_MS, end]);
  });

  it('fires an slo_burn rule while a pair holds and resolves it once none does', () => {
    const rule = { kind: 'slo_burn' as const, threshold: null, windowS: null, minSamples: null, thresholdS: null };
    expect(shouldFire(rule, { value: 20, holds: true })).toBe(true);
    expect(shouldFire(rule, { value: 20, holds: false })).toBe(false);
    expect(shouldResolve(rule, { value: 0.5, holds: false })).toBe(true);
    expect(shouldResolve(rule, { value: 14, holds: true })).toBe(false);
  });

  it('requires an sloId on slo_burn rules only, and no task', () => {
    expect(checkRuleSettings('slo_burn', { sloId: 'x' })).toMatchObject({ ok: true });
    expect(checkRuleSettings('slo_burn', {})).toEqual({
      ok: false,
      problems: ['sloId is required for slo_burn rules (the SLO to watch)'],
    });
    expect(checkRuleSettings('slo_burn', { sloId: 'x', taskId: 't', threshold: 2 })).toEqual({
      ok: false,
      problems: [
        'threshold does not apply to slo_burn rules',
        'taskId does not apply to slo_burn rules: the SLO names what it counts',
      ],
    });
    expect(checkRuleSettings('upstream', { sloId: 'x' })).toEqual({
      ok: false,
      problems: ['sloId does not apply to upstream rules'],
    });
  });
});
