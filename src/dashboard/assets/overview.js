// @ts-check
// The overview (/dashboard): right now, firing alerts and webhooks, the range's outcomes and
// timings, the tasks ranked, every tracked task.
import { get } from './api.js';
import { $, $as, card, emptyBody, show, taskCell, text } from './dom.js';
import { showAlerts } from './alerts.js';
import { showDurations, showOutcomes } from './charts.js';
import { ms, pct, when } from './format.js';
import { currentRange, rangeQuery } from './range.js';
import { renderSections } from './sections.js';

/** @typedef {import('../../../client/schema').components['schemas']} Schemas */
/** @typedef {NonNullable<import('../../../client/schema').operations['getTaskReport']['parameters']['query']>['sort']} TaskSort */

/** @type {readonly TaskSort[]} */
export const TASK_SORTS = ['failures', 'failureRate', 'p95PlayMs', 'p95QueueWaitMs'];

/** The ranking the "Tasks by" select asks for. */
function taskSort() {
  const value = $as('sort', HTMLSelectElement).value;
  return TASK_SORTS.find((s) => s === value) ?? 'failures';
}

/** Loads and shows the overview; rejects (ApiError) when any of its calls is refused. */
export async function renderOverview() {
  const range = currentRange();
  const q = rangeQuery(range);
  const [status, failures, ranked, tasks, alerts, webhooks, play, wait, silences] = await Promise.all([
    get('/status'),
    get('/reports/failures', { query: q }),
    get('/reports/tasks', { query: { from: q.from, to: q.to, limit: 10, sort: taskSort() } }),
    get('/tasks', { query: { limit: 100 } }),
    get('/alerts', { query: { state: 'firing', limit: 50 } }),
    get('/webhooks', { query: { limit: 100 } }),
    get('/reports/durations', { query: { metric: 'play', ...q } }),
    get('/reports/durations', { query: { metric: 'queue_wait', ...q } }),
    get('/silences'),
    renderSections({ page: 'overview', taskId: null, range, query: q }),
  ]);
  showAlerts(alerts.items, webhooks.items, silences.items);
  showNow(status, alerts.items.length);
  show('overview', true);
  showOutcomes('totals', 'chart', failures);
  showDurations('duration-totals', 'duration-chart', play, wait);
  showRanked(ranked.items);
  showTasks(tasks.items);
}

/**
 * @param {Schemas['SyncStatus']} status
 * @param {number} firing
 */
function showNow(status, firing) {
  $('now').replaceChildren(
    card('tracked tasks', status.trackedTasks),
    card('queued', status.drives.queued, 'queued'),
    card('playing', status.drives.playing, 'playing'),
    card('unresolved', status.drives.unresolved || 0, status.drives.unresolved ? 'queued' : ''),
    card('sync lag', status.syncLagSeconds.toFixed(1) + ' s', status.syncLagSeconds > 60 ? 'failed' : ''),
    card('upstream', status.circuitOpen ? 'circuit open' : 'ok', status.circuitOpen ? 'failed' : 'finished'),
    card('alerts firing', firing, firing ? 'failed' : 'finished'),
    card(
      'drive source',
      status.driveSource ? status.driveSource.mode : '–',
      status.driveSource && status.driveSource.mode === 'callbacks' ? 'queued' : '',
    ),
  );
}

/** @param {Schemas['TaskReportItem'][]} items */
function showRanked(items) {
  const body = emptyBody('ranked');
  for (const t of items) {
    const tr = document.createElement('tr');
    tr.append(
      taskCell(t.taskId),
      text('td', t.failed, 'num failed'),
      text('td', t.finished, 'num finished'),
      text('td', pct(t.failureRate), 'num'),
      text('td', ms(t.p95PlayMs), 'num'),
      text('td', ms(t.p95QueueWaitMs), 'num'),
    );
    body.append(tr);
  }
  show('ranked-empty', items.length === 0);
}

/** @param {Schemas['TaskView'][]} items */
function showTasks(items) {
  const body = emptyBody('tasks');
  for (const t of items) {
    const tr = document.createElement('tr');
    tr.dataset.taskId = t.taskId;
    tr.append(
      taskCell(t.taskId),
      text('td', t.endedAt ? 'ended' + (t.taskStatus ? ' (' + t.taskStatus + ')' : '') : t.taskStatus || '–'),
      text('td', t.counts.queued, 'num queued'),
      text('td', t.counts.playing, 'num playing'),
      text('td', t.counts.failed, 'num failed'),
      text('td', t.counts.finished, 'num finished'),
      text('td', when(t.lastSyncedAt)),
      text('td', t.lastSyncError || '', 'error-text'),
    );
    body.append(tr);
  }
  show('tasks-empty', items.length === 0);
}
