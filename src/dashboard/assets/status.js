// @ts-check
// What the page says about itself: its state (body[data-state], which the styles and the tests
// read), the message line, and the "live" indicator. Also the way a part of the page asks for a
// change and then for a refresh, without knowing the refresh loop (main.js listens).
import { REFRESH_MS, send } from './api.js';
import { $, show } from './dom.js';

/** @typedef {'loading' | 'ok' | 'paused' | 'key' | 'unreachable' | 'error' | 'not-found'} PageState */

/** The event main.js refreshes the page on. */
export const REFRESH_EVENT = 'dashboard:refresh';

/** @returns {PageState} */
export function pageState() {
  return /** @type {PageState} */ (document.body.dataset.state ?? 'loading');
}

/**
 * @param {PageState} state
 * @param {string} [message] said in the message line (none: the line is hidden)
 */
export function setState(state, message) {
  document.body.dataset.state = state;
  $('message').textContent = message || '';
  show('message', Boolean(message));
  $('live-text').textContent =
    state === 'ok' ? 'live · every ' + REFRESH_MS / 1000 + ' s' : state === 'paused' ? 'paused' : state;
}

/** Asks for a refresh of the page now. */
export function requestRefresh() {
  document.dispatchEvent(new Event(REFRESH_EVENT));
}

/**
 * A change asked for from the page; the answer refreshes the page, a refusal is said.
 * @param {'POST' | 'PUT' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 */
export async function act(method, path, body) {
  try {
    await send(method, path, body);
    requestRefresh();
  } catch (err) {
    setState(pageState(), err instanceof Error ? err.message : String(err));
  }
}
