// @ts-check
// The dashboard's entry module (index.html loads it with <script type="module">): which page this
// is, the refresh loop (one round at a time, paused while the tab is hidden), what a failed round
// says, and the page's controls. The rest lives in one module per concern: api.js (the REST API),
// range.js (the time range in the address), overview.js, task.js, alerts.js, charts.js,
// sections.js (sections in their own module), scope.js, status.js, dom.js, format.js.
import { ApiError, REFRESH_MS, storedKey, storeKey } from './api.js';
import { resizeCharts } from './charts.js';
import { $, $as, replaceQuery, show } from './dom.js';
import { renderOverview, TASK_SORTS } from './overview.js';
import { markRange, setRangeInUrl } from './range.js';
import { applyScope, forgetScope, loadScope, scopeKnown } from './scope.js';
import { act, pageState, REFRESH_EVENT, setState } from './status.js';
import { firstDrivePage, nextDrivePage, renderTask } from './task.js';

/** The task of a task's page (/dashboard/tasks/<taskId>); null on the overview. */
const taskId = (() => {
  const match = /^\/dashboard\/tasks\/([^/]+)\/?$/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]) : null;
})();

/** A round is under way (a slow service is never sent a second round before the first answered). */
let busy = false;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
let refreshes = 0;

/**
 * What a failed round says: a key asked for, the task unknown, the service unreachable…
 * @param {unknown} err
 */
function fail(err) {
  const status = err instanceof ApiError ? err.status : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (status === 403 && !scopeKnown()) {
    // A key of the metrics scope: valid, but it reads nothing the page shows.
    $('key-reason').textContent = 'This key cannot read the dashboard (' + message + '). Enter a read key.';
    show('key-form', true);
    setState('key', 'The API key lacks the read scope.');
    return;
  }
  if (status === 401) {
    forgetScope();
    const had = Boolean(storedKey());
    $('key-reason').textContent = had
      ? 'The API key kept in this browser was refused. Enter another.'
      : 'This service needs an API key.';
    show('key-form', true);
    setState('key', had ? 'API key refused.' : 'An API key is needed.');
    return;
  }
  if (status === 404 && taskId) {
    setState('not-found', 'Task ' + taskId + ' is not known to this service.');
    return;
  }
  setState(status === 0 ? 'unreachable' : 'error', message);
}

/** One round: the key's scope, then the page's data; then the next round is planned. */
async function refresh() {
  clearTimeout(timer);
  if (busy) return;
  busy = true;
  try {
    await loadScope();
    await (taskId ? renderTask(taskId) : renderOverview());
    show('key-form', false);
    setState('ok');
  } catch (err) {
    fail(err);
  }
  applyScope();
  busy = false;
  refreshes++;
  document.body.dataset.refreshes = String(refreshes);
  if (!document.hidden) timer = setTimeout(() => void refresh(), REFRESH_MS);
  else if (pageState() === 'ok') setState('paused');
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden) {
    clearTimeout(timer);
    if (pageState() === 'ok') setState('paused');
  } else void refresh();
});
document.addEventListener(REFRESH_EVENT, () => void refresh());

// ------------------------------------------------------------------ the controls
const statusFilter = $as('status-filter', HTMLSelectElement);
const sort = $as('sort', HTMLSelectElement);
const query = new URLSearchParams(location.search);
const wantedStatus = query.get('status');
if (wantedStatus) statusFilter.value = wantedStatus;
const wantedSort = TASK_SORTS.find((s) => s === query.get('sort'));
if (wantedSort) sort.value = wantedSort;

document.querySelectorAll('#ranges button[data-range]').forEach((b) => {
  if (!(b instanceof HTMLButtonElement)) return;
  b.addEventListener('click', () => {
    setRangeInUrl({ range: b.dataset.range ?? '' });
    void refresh();
  });
});
$('custom-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const from = new Date($as('custom-from', HTMLInputElement).value);
  const to = new Date($as('custom-to', HTMLInputElement).value);
  if (isNaN(from.getTime()) || isNaN(to.getTime()) || from >= to) {
    setState('error', 'The custom range needs a start before its end.');
    return;
  }
  $as('custom', HTMLDetailsElement).open = false;
  setRangeInUrl({ from: from.toISOString(), to: to.toISOString() });
  void refresh();
});
sort.addEventListener('change', () => {
  const p = new URLSearchParams(location.search);
  p.set('sort', sort.value);
  replaceQuery(p);
  void refresh();
});
statusFilter.addEventListener('change', () => {
  const p = new URLSearchParams(location.search);
  if (statusFilter.value) p.set('status', statusFilter.value);
  else p.delete('status');
  replaceQuery(p);
  firstDrivePage();
  void refresh();
});
$('next-page').addEventListener('click', () => {
  nextDrivePage();
  void refresh();
});
$('first-page').addEventListener('click', () => {
  firstDrivePage();
  void refresh();
});
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $as('key', HTMLInputElement);
  storeKey(input.value.trim());
  input.value = '';
  forgetScope();
  void refresh();
});
$('track-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $as('track-task', HTMLInputElement);
  const id = input.value.trim();
  input.value = '';
  if (id) void act('PUT', '/tasks/' + encodeURIComponent(id));
});
window.addEventListener('resize', resizeCharts);

markRange();
void refresh();
