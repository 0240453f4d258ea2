// @ts-check
/**
 * The overview's SLO section: each SLO's objective, SLI, error budget left (a bar), burn rates and
 * its firing burn alerts; on a task's page, that task's SLOs. Listed in sections.js, which gives it
 * its container; its calls go through api.js like the rest of the page.
 */
import { get } from './api.js';

/**
 * @typedef {{ '5m': number, '30m': number, '1h': number, '6h': number, '1d': number, '3d': number }} BurnRates
 * @typedef {{
 *   id: string, name: string, objective: number, windowDays: number, taskId: string | null, type: string | null,
 *   sli: { good: number, bad: number, total: number, ratio: number },
 *   errorBudget: { allowedBad: number, consumedFraction: number, remainingFraction: number },
 *   burnRates: BurnRates
 * }} SloStatus
 * @typedef {{ id: string, ruleId: string, kind: string, value: number, threshold: number, firedAt: string }} Alert
 * @typedef {{ id: string, kind: string, sloId?: string | null }} AlertRule
 */

/** The burn-rate windows shown, in order. */
const WINDOWS = /** @type {const} */ (['5m', '30m', '1h', '6h', '1d', '3d']);

/**
 * @param {string} tag
 * @param {string} [text]
 * @param {string} [className]
 */
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** @param {number} n */
const percent = (n) => `${(n * 100).toFixed(n > 0.999 && n < 1 ? 3 : 2)} %`;

/**
 * The budget left as a bar: full and green at 100 %, empty and red at 0 or below.
 * @param {number} remaining remainingFraction (negative when overspent)
 */
function budgetBar(remaining) {
  const cell = el('td');
  const bar = el('span', undefined, 'slo-bar');
  const fill = el('span', undefined, remaining > 0.25 ? 'slo-fill finished' : 'slo-fill failed');
  fill.style.width = `${Math.max(0, Math.min(1, remaining)) * 100}%`;
  bar.append(fill);
  bar.setAttribute('role', 'img');
  bar.setAttribute('aria-label', `${percent(remaining)} of the error budget left`);
  cell.append(bar, el('span', ` ${percent(remaining)}`, remaining < 0 ? 'failed' : undefined));
  return cell;
}

/**
 * The SLO section (listed in sections.js): on the overview every SLO, on a task's page the SLOs of
 * that task; hidden where there is none.
 * @param {HTMLElement} container
 * @param {import('./sections.js').SectionContext} context
 * @returns {Promise<void>}
 */
export async function renderSlos(container, context) {
  const [list, rules, firing] = await Promise.all([
    get('/slos', { query: { limit: 50 } }),
    get('/alert-rules', { query: { limit: 500 } }),
    get('/alerts', { query: { state: 'firing', limit: 50 } }),
  ]);
  const mine = list.items.filter((s) => context.page === 'overview' || s.taskId === context.taskId);
  /** @type {SloStatus[]} */
  const slos = await Promise.all(mine.map((s) => get('/slos/{id}', { path: { id: s.id } })));
  const sloOfRule = new Map(
    /** @type {AlertRule[]} */ (rules.items).filter((r) => r.kind === 'slo_burn').map((r) => [r.id, r.sloId]),
  );
  /** @type {Map<string, Alert[]>} */
  const alertsBySlo = new Map();
  for (const a of /** @type {Alert[]} */ (firing.items)) {
    const sloId = sloOfRule.get(a.ruleId);
    if (sloId) alertsBySlo.set(sloId, [...(alertsBySlo.get(sloId) ?? []), a]);
  }

  container.hidden = slos.length === 0;
  if (!slos.length) return;
  const table = /** @type {HTMLTableElement} */ (el('table'));
  const head = el('tr');
  for (const title of ['SLO', 'objective', 'SLI', 'budget left', ...WINDOWS.map((w) => `burn ${w}`), 'burn alert']) {
    head.append(el('th', title));
  }
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const s of slos) {
    const row = el('tr');
    const scope = s.taskId ? `task ${s.taskId}` : s.type ? `type ${s.type}` : 'every task';
    const name = el('td', s.name);
    name.title = `${scope}, ${s.windowDays} days`;
    row.append(
      name,
      el('td', `${s.objective} %`),
      el('td', s.sli.total ? `${percent(s.sli.ratio)} (${s.sli.bad} bad of ${s.sli.total})` : 'no drives'),
      budgetBar(s.errorBudget.remainingFraction),
      ...WINDOWS.map((w) => el('td', s.burnRates[w].toFixed(2), s.burnRates[w] > 1 ? 'failed' : undefined)),
    );
    const alerts = alertsBySlo.get(s.id) ?? [];
    row.append(
      el(
        'td',
        alerts.length ? alerts.map((a) => `firing: burn ${a.value} ≥ ${a.threshold}`).join('; ') : '–',
        alerts.length ? 'failed' : undefined,
      ),
    );
    body.append(row);
  }
  const box = el('div', undefined, 'scroll');
  box.append(table);
  container.replaceChildren(el('h2', 'Service level objectives'), box);
}
