// @ts-check
// Values as people read them: times, percentages, durations, alert values. Pure functions, no DOM.

/** @typedef {import('../../../client/schema').components['schemas']['AlertView']} AlertView */

/**
 * A moment in the browser's locale and zone; – when unknown.
 * @param {string | null | undefined} iso
 */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

/**
 * A rate (0..1) as a percentage with one decimal.
 * @param {number} rate
 */
export function pct(rate) {
  return (rate * 100).toFixed(1) + '%';
}

/**
 * A duration in ms as people read it: 840 ms, 5.2 s, 3 min 20 s; – when unknown.
 * @param {number | null | undefined} v
 */
export function ms(v) {
  if (v === null || v === undefined) return '–';
  if (v < 1000) return v + ' ms';
  if (v < 60000) return (v / 1000).toFixed(1) + ' s';
  return Math.floor(v / 60000) + ' min ' + Math.round((v % 60000) / 1000) + ' s';
}

/**
 * An alert's value as people read it: failure_rate as a percentage, lag in seconds.
 * @param {AlertView['kind']} kind
 * @param {number} v
 */
export function alertValue(kind, v) {
  if (kind === 'failure_rate') return pct(v);
  if (kind === 'sync_lag') return v + ' s';
  return String(v);
}

/**
 * An alert's threshold: stuck drives and sync lag are in seconds, the rest read like the value.
 * @param {AlertView['kind']} kind
 * @param {number} v
 */
export function alertThreshold(kind, v) {
  return kind === 'stuck_drive' || kind === 'sync_lag' ? v + ' s' : alertValue(kind, v);
}
