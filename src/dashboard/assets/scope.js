// @ts-check
// What the key may do. GET /auth/whoami says the key's scope; controls that need more are hidden
// (elements with data-needs="write" or "admin"). The service refuses such calls anyway (403):
// hiding them spares a viewer a button that cannot work.
import { get } from './api.js';
import { $, show } from './dom.js';

/** @typedef {import('../../../client/schema').components['schemas']['WhoAmIView']} WhoAmIView */
/** @typedef {'read' | 'write' | 'admin'} Needed */

/** @type {Record<string, number>} */
const SCOPE_RANK = { read: 1, write: 2, admin: 3 };
/** The key's scope, once the service said it (null: not asked yet, or the key changed). */
/** @type {WhoAmIView['scope'] | null} */
let scope = null;

/** True once the service said the key's scope. */
export function scopeKnown() {
  return scope !== null;
}

/** Forgets the scope (a new key, or the kept one was refused). */
export function forgetScope() {
  scope = null;
}

/**
 * Whether the key may do what a control needs.
 * @param {string | undefined} needed
 */
export function can(needed) {
  const rank = scope === null ? 0 : (SCOPE_RANK[scope] ?? 0);
  return rank > 0 && needed !== undefined && rank >= (SCOPE_RANK[needed] ?? Infinity);
}

/** Hides the controls the key may not use, shows the others. */
export function applyScope() {
  document.body.dataset.scope = scope || '';
  document.querySelectorAll('[data-needs]').forEach((el) => {
    if (el instanceof HTMLElement) el.hidden = !can(el.dataset.needs);
  });
}

/** Asks the service for the key's scope, once per key. */
export async function loadScope() {
  if (scope !== null) return;
  const me = await get('/auth/whoami');
  scope = me.scope;
  $('key-info').textContent = me.keysRequired ? me.scope + ' key · ' + me.fingerprint : '';
  show('key-info', me.keysRequired);
}
