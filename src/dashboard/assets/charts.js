// @ts-check
// The charts: outcomes per bucket (failures and finishes as bars, the failure rate as a line) and
// play/queue-wait percentiles per bucket, each with the bucket still under way shaded. uPlot is
// loaded by a classic script before the modules (index.html) and read from `window` here.
import { $, card, show } from './dom.js';
import { ms, pct } from './format.js';
import { currentBucket, INTERVAL_MS } from './range.js';

/** @typedef {import('uplot')} UPlot */
/** @typedef {import('uplot').AlignedData} AlignedData */
/** @typedef {import('uplot').Axis} Axis */
/** @typedef {import('../../../client/schema').components['schemas']['FailureReport']} FailureReport */
/** @typedef {import('../../../client/schema').components['schemas']['DurationReport']} DurationReport */
/** @typedef {{ start: number | null, legend: (u: UPlot, v: number | null) => string, draw: (u: UPlot) => void }} Marks */

const uPlot = /** @type {{ uPlot: typeof import('uplot') }} */ (/** @type {unknown} */ (window)).uPlot;

/** The charts on the page by their element's id: made once, then given new data. */
/** @type {Map<string, UPlot>} */
const charts = new Map();
/** The latest marks of each chart (its hooks read them, so they follow the data). */
/** @type {Map<string, Marks>} */
const marksOf = new Map();

/** @param {string} name */
function cssVar(name) {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || '#888';
}

/**
 * A chart's size for its box: the box's width (at least 280 px), lower on narrow screens.
 * @param {HTMLElement} el
 */
function chartSize(el) {
  const width = Math.max(280, el.clientWidth || 800);
  return { width, height: width < 600 ? 200 : 260 };
}

/** @returns {Axis} */
function axisStyle() {
  return { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid') }, ticks: { stroke: cssVar('--grid') } };
}

/**
 * The bucket still under way, shaded and labelled on the chart (its counts are not final), and
 * named in the legend when the cursor is on it.
 * @param {FailureReport | DurationReport} report
 * @returns {Marks}
 */
function currentBucketMarks(report) {
  const start = currentBucket(report);
  const size = INTERVAL_MS[report.interval];
  return {
    start,
    legend(_u, v) {
      if (v === null || v === undefined) return '–';
      const label = new Date(v * 1000).toLocaleString();
      return start !== null && v * 1000 === start ? label + ' (in progress, not final)' : label;
    },
    draw(u) {
      if (start === null) return;
      const x0 = u.valToPos(start / 1000 - size / 2000, 'x', true);
      const x1 = u.valToPos(start / 1000 + size / 2000, 'x', true);
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = cssVar('--current');
      ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
      ctx.strokeStyle = cssVar('--muted');
      ctx.setLineDash([3, 3]);
      ctx.strokeRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
      ctx.setLineDash([]);
      ctx.fillStyle = cssVar('--muted');
      ctx.font = Math.round(11 * devicePixelRatio) + 'px sans-serif';
      ctx.textAlign = 'right';
      ctx.fillText('in progress', x1 - 3 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
      ctx.restore();
    },
  };
}

/**
 * An x range with half a bucket of room on each side, so the first and last buckets show whole.
 * @param {UPlot} u
 * @param {number} min
 * @param {number} max
 * @returns {[number, number]}
 */
function halfBucketPadding(u, min, max) {
  const xs = u.data[0];
  const half = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 1800;
  return [min - half, max + half];
}

/** @param {string} elId */
function drawCurrent(elId) {
  return /** @param {UPlot} u */ (u) => marksOf.get(elId)?.draw(u);
}

/** @param {string} elId */
function legendTime(elId) {
  /** @type {(u: UPlot, v: number) => string | number} */
  return (u, v) => marksOf.get(elId)?.legend(u, v) ?? v;
}

/**
 * Gives an existing chart new data, or makes it.
 * @param {string} elId
 * @param {AlignedData} data
 * @param {FailureReport | DurationReport} report the report whose bucket under way is marked
 * @param {() => Omit<import('uplot').Options, 'width' | 'height'>} options
 */
function plot(elId, data, report, options) {
  const el = $(elId);
  const marks = currentBucketMarks(report);
  marksOf.set(elId, marks);
  el.dataset.current = marks.start === null ? '' : new Date(marks.start).toISOString();
  const size = chartSize(el);
  const chart = charts.get(elId);
  if (chart) {
    chart.setData(data);
    chart.setSize(size);
    return;
  }
  charts.set(elId, new uPlot({ ...size, ...options() }, data, el));
}

/**
 * Failures and finishes per bucket, and the failure rate.
 * @param {string} elId
 * @param {FailureReport} report
 */
function drawOutcomes(elId, report) {
  const el = $(elId);
  const b = report.buckets;
  /** @type {AlignedData} */
  const data = [
    b.map((x) => Date.parse(x.start) / 1000),
    b.map((x) => x.finished),
    b.map((x) => x.failed),
    b.map((x) => (x.failed + x.finished ? x.failureRate * 100 : null)),
  ];
  el.dataset.failed = String(report.totals.failed);
  el.dataset.finished = String(report.totals.finished);
  el.dataset.buckets = String(b.length);
  el.dataset.interval = report.interval;
  plot(elId, data, report, () => {
    // Counts per bucket are bars (failed in front of finished), not a trend between bucket starts;
    // the x axis leaves half a bucket on each side so the first and last bars show whole.
    const bars = uPlot.paths.bars;
    const wide = bars?.({ size: [0.7, 48] });
    const narrow = bars?.({ size: [0.35, 24] });
    const axis = axisStyle();
    return {
      scales: { x: { time: true, range: halfBucketPadding }, rate: { range: [0, 100] } },
      hooks: { drawAxes: [drawCurrent(elId)] },
      series: [
        { value: legendTime(elId) },
        { label: 'finished', stroke: cssVar('--finished'), fill: cssVar('--finished-fill'), paths: wide },
        { label: 'failed', stroke: cssVar('--failed'), fill: cssVar('--failed'), paths: narrow },
        { label: 'failure rate %', stroke: cssVar('--playing'), scale: 'rate', dash: [4, 4] },
      ],
      axes: [
        axis,
        { label: 'drives', ...axis },
        { side: 1, scale: 'rate', label: '%', ...axis, grid: { show: false } },
      ],
    };
  });
}

/**
 * p50 and p95 of play time and queue wait per bucket, on a log scale (waits of milliseconds and
 * plays of minutes on one chart); a bucket without drives is a gap.
 * @param {string} elId
 * @param {DurationReport} play
 * @param {DurationReport} wait
 */
function drawDurations(elId, play, wait) {
  const el = $(elId);
  /**
   * @param {DurationReport} report
   * @param {'p50' | 'p95'} key
   */
  const pick = (report, key) => report.buckets.map((b) => (b[key] === null ? null : Math.max(1, b[key])));
  /** @type {AlignedData} */
  const data = [
    play.buckets.map((b) => Date.parse(b.start) / 1000),
    pick(play, 'p50'),
    pick(play, 'p95'),
    pick(wait, 'p50'),
    pick(wait, 'p95'),
  ];
  el.dataset.played = String(play.totals.count);
  el.dataset.waited = String(wait.totals.count);
  el.dataset.buckets = String(play.buckets.length);
  plot(elId, data, play, () => {
    const axis = axisStyle();
    /** @type {(u: UPlot, v: number | null) => string} */
    const value = (_u, v) => (v === null ? '–' : ms(v));
    const dots = { show: true, size: 5 };
    return {
      // The same x range as the failure chart above (half a bucket of room each side), so the two line up.
      scales: { x: { time: true, range: halfBucketPadding }, y: { distr: 3 } },
      hooks: { drawAxes: [drawCurrent(elId)] },
      series: [
        { value: legendTime(elId) },
        { label: 'play p50', stroke: cssVar('--finished'), value, points: dots },
        { label: 'play p95', stroke: cssVar('--finished'), dash: [6, 4], value, points: dots },
        { label: 'queue wait p50', stroke: cssVar('--playing'), value, points: dots },
        { label: 'queue wait p95', stroke: cssVar('--playing'), dash: [6, 4], value, points: dots },
      ],
      axes: [axis, { ...axis, size: 84, values: (_u, splits) => splits.map((v) => (v === null ? '' : ms(v))) }],
    };
  });
}

/**
 * The range's play and queue-wait percentiles as cards and a chart (a note when none is known).
 * @param {string} totalsId
 * @param {string} chartId
 * @param {DurationReport} play
 * @param {DurationReport} wait
 */
export function showDurations(totalsId, chartId, play, wait) {
  show(chartId + '-empty', play.totals.count + wait.totals.count === 0);
  drawDurations(chartId, play, wait);
  $(totalsId).replaceChildren(
    card('play p50', ms(play.totals.p50)),
    card('play p95', ms(play.totals.p95)),
    card('queue wait p50', ms(wait.totals.p50)),
    card('queue wait p95', ms(wait.totals.p95)),
  );
}

/**
 * A range's totals as cards, its chart, and a note instead when nothing ended in the range.
 * @param {string} totalsId
 * @param {string} chartId
 * @param {FailureReport} report
 */
export function showOutcomes(totalsId, chartId, report) {
  const totals = report.totals;
  show(chartId + '-empty', totals.failed + totals.finished === 0);
  drawOutcomes(chartId, report);
  $(totalsId).replaceChildren(
    card('drives ended', totals.failed + totals.finished),
    card('failed', totals.failed, 'failed'),
    card('finished', totals.finished, 'finished'),
    card('failure rate', totals.failed + totals.finished ? pct(totals.failureRate) : '–'),
  );
}

/** Fits every chart to its box again (the window was resized). */
export function resizeCharts() {
  for (const [id, chart] of charts) chart.setSize(chartSize($(id)));
}
