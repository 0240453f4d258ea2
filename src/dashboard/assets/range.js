// @ts-check
// The time range, kept in the address (?range=24h, or ?from=…&to=…) so that a link shows what its
// sender saw, and the bucket size that goes with it.
import { $, $as } from './dom.js';
import { when } from './format.js';

/** @typedef {import('../../../client/schema').components['schemas']['FailureReport']} FailureReport */
/** @typedef {import('../../../client/schema').components['schemas']['DurationReport']} DurationReport */
/** @typedef {FailureReport['interval']} Interval */
/** @typedef {'1h' | '6h' | '24h' | '7d' | '30d'} RangeKey */
/** @typedef {{ key: RangeKey | 'custom', from: number, to: number }} Range the range's ends in ms since the epoch */
/** @typedef {{ from: string, to: string, interval: Interval }} RangeQuery the report routes' query for a range */

export const MINUTE = 60e3;
export const HOUR = 3600e3;
export const DAY = 24 * HOUR;
/** @type {Record<RangeKey, number>} */
const RANGES = { '1h': HOUR, '6h': 6 * HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };
/** @type {Record<Interval, number>} */
export const INTERVAL_MS = { minute: MINUTE, '5m': 5 * MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };
/** @type {Record<Interval, string>} */
const INTERVAL_NAMES = { minute: 'minute', '5m': '5 minutes', hour: 'hour', day: 'day', week: 'week' };
/** @type {Record<RangeKey, string>} */
const RANGE_NAMES = {
  '1h': 'in the last hour',
  '6h': 'in the last 6 hours',
  '24h': 'in the last 24 hours',
  '7d': 'in the last 7 days',
  '30d': 'in the last 30 days',
};
/** @type {RangeKey} */
const DEFAULT_RANGE = '24h';

/**
 * @param {string | null} key
 * @returns {key is RangeKey}
 */
function isRangeKey(key) {
  return key !== null && Object.prototype.hasOwnProperty.call(RANGES, key);
}

/** The range the address asks for: a custom one when both ends are valid, else a named one. */
export function currentRange() {
  const q = new URLSearchParams(location.search);
  const from = Date.parse(q.get('from') || '');
  const to = Date.parse(q.get('to') || '');
  if (!isNaN(from) && !isNaN(to) && from < to) return /** @type {Range} */ ({ key: 'custom', from, to });
  const named = q.get('range');
  const key = isRangeKey(named) ? named : DEFAULT_RANGE;
  const now = Date.now();
  return /** @type {Range} */ ({ key, from: now - RANGES[key], to: now });
}

/**
 * The bucket for a range: minutes for an hour, 5 minutes up to 6 hours (the service keeps minutes
 * for at least 2 days, so only ranges within those), hours up to 2 days, then days and weeks.
 * @param {Range} range
 * @returns {Interval}
 */
export function intervalFor(range) {
  const span = range.to - range.from;
  const recent = range.from >= Date.now() - 2 * DAY;
  if (recent && span <= HOUR + MINUTE) return 'minute';
  if (recent && span <= 6 * HOUR + MINUTE) return '5m';
  return span <= 2 * DAY ? 'hour' : span <= 92 * DAY ? 'day' : 'week';
}

/**
 * The start of the bucket still under way (its counts still grow), or null when the range ended before it.
 * @param {FailureReport | DurationReport} report
 */
export function currentBucket(report) {
  const size = INTERVAL_MS[report.interval];
  const last = report.buckets[report.buckets.length - 1];
  if (!last) return null;
  const start = Date.parse(last.start);
  const now = Date.now();
  return start <= now && now < start + size ? start : null;
}

/**
 * The report routes' query for a range.
 * @param {Range} range
 * @returns {RangeQuery}
 */
export function rangeQuery(range) {
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    interval: intervalFor(range),
  };
}

/** @param {Range} range */
export function rangeLabel(range) {
  if (range.key !== 'custom') return RANGE_NAMES[range.key] + ', by ' + INTERVAL_NAMES[intervalFor(range)];
  return 'from ' + when(new Date(range.from).toISOString()) + ' to ' + when(new Date(range.to).toISOString());
}

/**
 * Puts a range in the address (a named one, or a custom one's ends) in place of the last one.
 * @param {{ range: string } | { from: string, to: string }} params
 */
export function setRangeInUrl(params) {
  const q = new URLSearchParams(location.search);
  for (const k of ['range', 'from', 'to']) q.delete(k);
  for (const [k, v] of Object.entries(params)) q.set(k, v);
  history.replaceState(null, '', location.pathname + '?' + q.toString());
  markRange();
}

/** Shows which range is on: the pressed button, the labels, and links that keep it. */
export function markRange() {
  const range = currentRange();
  document.querySelectorAll('#ranges button[data-range]').forEach((b) => {
    if (b instanceof HTMLElement) b.setAttribute('aria-pressed', String(b.dataset.range === range.key));
  });
  $('custom').classList.toggle('active', range.key === 'custom');
  document.querySelectorAll('.range-label').forEach((el) => {
    el.textContent = rangeLabel(range);
  });
  // Links to other pages keep the range.
  const suffix = location.search;
  $as('home', HTMLAnchorElement).href = '/dashboard' + suffix;
  $as('back', HTMLAnchorElement).href = '/dashboard' + suffix;
}
