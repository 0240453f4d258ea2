// @ts-check
// A task's page (/dashboard/tasks/<taskId>): its facts, its outcomes and timings for the range,
// its drives (status filter, paging) and one drive's history as a timeline.
import { get } from './api.js';
import { $, $as, emptyBody, show, text } from './dom.js';
import { showDurations, showOutcomes } from './charts.js';
import { ms, when } from './format.js';
import { currentRange, rangeQuery } from './range.js';
import { renderSections } from './sections.js';

/** @typedef {import('../../../client/schema').components['schemas']} Schemas */
/** @typedef {NonNullable<import('../../../client/schema').operations['listDrives']['parameters']['query']>['status']} StatusFilter */

/** The drive pages: the cursor of the page on screen (null: the first) and of the next one. */
/** @type {{ cursor: string | null, next: string | null }} */
const paging = { cursor: null, next: null };
/** The drive whose history is open, if any. */
/** @type {string | null} */
let openDrive = null;

/** Back to the first page of drives (the filter changed). */
export function firstDrivePage() {
  paging.cursor = null;
}

/** On to the next page of drives. */
export function nextDrivePage() {
  paging.cursor = paging.next;
}

/** @param {string} taskId */
export async function renderTask(taskId) {
  const range = currentRange();
  const q = rangeQuery(range);
  const path = { taskId };
  const status = /** @type {StatusFilter} */ ($as('status-filter', HTMLSelectElement).value || undefined);
  const [t, failures, drives, play, wait] = await Promise.all([
    get('/tasks/{taskId}', { path }),
    get('/reports/failures', { query: { ...q, taskId } }),
    get('/tasks/{taskId}/drives', { path, query: { limit: 50, status, cursor: paging.cursor ?? undefined } }),
    get('/reports/durations', { query: { metric: 'play', ...q, taskId } }),
    get('/reports/durations', { query: { metric: 'queue_wait', ...q, taskId } }),
    renderSections({ page: 'task', taskId, range, query: q }),
  ]);
  showFacts(t);
  show('task-page', true);
  showOutcomes('task-totals', 'task-chart', failures);
  showDurations('task-duration-totals', 'task-duration-chart', play, wait);
  showDrives(taskId, drives);
  if (openDrive) await showHistory(taskId, openDrive);
}

/** @param {Schemas['TaskView']} t */
function showFacts(t) {
  $('task-id').textContent = t.taskId;
  const facts = $('task-facts');
  facts.replaceChildren();
  /** @type {[string, string][]} */
  const rows = [
    ['tracking', t.tracking ? 'yes (' + t.source + ')' : 'no'],
    ['stream status', t.taskStatus || '–'],
    ['room', t.roomId || '–'],
    ['stream', t.streamId || '–'],
    [
      'queued · playing · failed · finished',
      [t.counts.queued, t.counts.playing, t.counts.failed, t.counts.finished].join(' · '),
    ],
    ['last synced', when(t.lastSyncedAt)],
    ['ended', when(t.endedAt)],
    ['last error', t.lastSyncError || '–'],
  ];
  for (const [term, value] of rows) facts.append(text('dt', term), text('dd', value));
}

/**
 * @param {string} taskId
 * @param {Schemas['DrivePage']} page
 */
function showDrives(taskId, page) {
  const body = emptyBody('drives');
  for (const d of page.items) {
    const tr = document.createElement('tr');
    tr.dataset.driveId = d.driveId;
    const button = text('button', d.driveId, 'link');
    button.type = 'button';
    button.addEventListener('click', () => {
      openDrive = d.driveId;
      void showHistory(taskId, d.driveId);
    });
    const cell = document.createElement('td');
    cell.append(button);
    tr.append(
      cell,
      text('td', d.resolution === 'unresolved' ? d.status + ' · unresolved' : d.status, d.status),
      text('td', when(d.firstSeenAt)),
      text('td', when(d.statusChangedAt)),
      text('td', ms(d.queueWaitMs), 'num'),
      text('td', ms(d.playMs), 'num'),
    );
    body.append(tr);
  }
  show('drives-empty', page.items.length === 0);
  paging.next = page.nextCursor;
  $as('next-page', HTMLButtonElement).disabled = !paging.next;
  $as('first-page', HTMLButtonElement).disabled = !paging.cursor;
}

/**
 * A drive's history, oldest first, with its timings.
 * @param {string} taskId
 * @param {string} driveId
 */
async function showHistory(taskId, driveId) {
  const d = await get('/tasks/{taskId}/drives/{driveId}', { path: { taskId, driveId } });
  $('history-drive').textContent = d.driveId;
  $('history-timings').textContent =
    'queue wait ' + ms(d.queueWaitMs) + ' · play ' + ms(d.playMs) + (d.endedAt ? ' · ended ' + when(d.endedAt) : '');
  const list = $('history');
  list.replaceChildren();
  for (const h of d.history) {
    const li = document.createElement('li');
    li.className = h.status;
    li.append(
      text('strong', h.status),
      text('span', ' from ' + (h.previousStatus || 'nothing')),
      text('time', when(h.observedAt)),
      text('span', h.source, 'source'),
    );
    list.append(li);
  }
  show('history-section', true);
}
