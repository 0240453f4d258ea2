// @ts-check
// Small DOM helpers shared by every part of the page. Elements are looked up by the ids of
// index.html; a missing id is a defect of the page, so it throws instead of returning null.

/**
 * The element with this id.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error('dashboard: no element #' + id);
  return el;
}

/**
 * The element with this id, checked to be of the given kind (an input, a select, a table…).
 * @template {HTMLElement} E
 * @param {string} id
 * @param {new () => E} kind
 * @returns {E}
 */
export function $as(id, kind) {
  const el = $(id);
  if (!(el instanceof kind)) throw new Error('dashboard: #' + id + ' is not a ' + kind.name);
  return el;
}

/**
 * The body of a table, emptied, for new rows.
 * @param {string} tableId
 */
export function emptyBody(tableId) {
  const body = $as(tableId, HTMLTableElement).tBodies[0];
  body.replaceChildren();
  return body;
}

/**
 * An element holding a text (null and undefined: empty).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {unknown} value
 * @param {string} [cls]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value === null || value === undefined ? '' : String(value);
  if (cls) el.className = cls;
  return el;
}

/**
 * A card: a big value over its label.
 * @param {string} label
 * @param {unknown} value
 * @param {string} [cls]
 */
export function card(label, value, cls) {
  const div = text('div', '', 'card' + (cls ? ' ' + cls : ''));
  div.append(text('span', value, 'value'), text('span', label, 'label'));
  return div;
}

/**
 * @param {string} id
 * @param {boolean} visible
 */
export function show(id, visible) {
  $(id).hidden = !visible;
}

/**
 * A table cell linking to a task's page (keeping the range and the rest of the address's query).
 * @param {string} id
 */
export function taskCell(id) {
  const link = text('a', id);
  link.href = '/dashboard/tasks/' + encodeURIComponent(id) + location.search;
  const cell = document.createElement('td');
  cell.append(link);
  return cell;
}

/**
 * Replaces the address's query without a new history entry.
 * @param {URLSearchParams} query
 */
export function replaceQuery(query) {
  history.replaceState(null, '', location.pathname + '?' + query.toString());
}
