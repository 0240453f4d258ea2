// @ts-check
// The one way the page talks to the service: GET a JSON document of the REST API (typed by the
// OpenAPI document through client/schema.d.ts, so a renamed field or query parameter fails
// `npm run lint`), or send a change. The API key, when the service asks for one, is entered once
// and kept in this browser's localStorage.

/** @typedef {import('../../../client/schema').paths} Paths */
/** The routes that answer a GET with a JSON document. */
/** @typedef {{ [P in keyof Paths]: Paths[P] extends { get: { responses: { 200: { content: { 'application/json': unknown } } } } } ? P : never }[keyof Paths]} GetPath */
/**
 * What a route's GET answers.
 * @template {GetPath} P
 * @typedef {Paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } } ? T : never} Answer
 */
/**
 * A route's path and query parameters, as the OpenAPI document declares them.
 * @template {GetPath} P
 * @typedef {Omit<Paths[P] extends { get: { parameters: infer Q } } ? Q : never, 'header' | 'cookie'>} Params
 */

/** Where the key is kept in localStorage. */
export const KEY_STORAGE = 'drive-status.apiKey';
/** How often the page refreshes itself (and retries an unreachable service). */
export const REFRESH_MS = 10000;

/** A refusal or failure of the API; status 0: the service cannot be reached. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** The key kept in this browser, if any. */
export function storedKey() {
  return localStorage.getItem(KEY_STORAGE);
}

/** @param {string} key */
export function storeKey(key) {
  localStorage.setItem(KEY_STORAGE, key);
}

/**
 * A route's address with its path parameters filled in and its query (parameters without a value
 * left out).
 * @param {string} route
 * @param {{ path?: Record<string, string>, query?: Record<string, string | number | boolean | undefined> }} params
 */
export function address(route, params) {
  const path = route.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent((params.path ?? {})[name] ?? ''));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params.query ?? {}))
    if (value !== undefined && value !== '') query.set(name, String(value));
  const q = query.toString();
  return q ? path + '?' + q : path;
}

/**
 * A JSON document of the API.
 * @template {GetPath} P
 * @param {P} route the route as the OpenAPI document names it, e.g. '/tasks/{taskId}'
 * @param {Params<P>} [params]
 * @returns {Promise<Answer<P>>}
 */
export function get(route, params) {
  return /** @type {Promise<Answer<P>>} */ (request('GET', address(route, params ?? {})));
}

/**
 * A change asked for (POST, PUT, DELETE); resolves with the answer's JSON body (null for 204).
 * @param {'POST' | 'PUT' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 */
export function send(method, path, body) {
  return request(method, path, body);
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<unknown>}
 */
async function request(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const key = storedKey();
  if (key) headers['x-api-key'] = key;
  /** @type {RequestInit} */
  const init = { headers, method };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  /** @type {Response} */
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'The service cannot be reached; trying again every ' + REFRESH_MS / 1000 + ' s.');
  }
  if (res.status === 204) return null;
  /** @type {unknown} */
  let json;
  try {
    json = await res.json();
  } catch {
    throw new ApiError(res.status, 'HTTP ' + res.status + ' without a JSON body');
  }
  if (!res.ok) {
    const message = json && typeof json === 'object' && 'message' in json ? json.message : undefined;
    const said = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
    throw new ApiError(res.status, said || 'HTTP ' + res.status);
  }
  return json;
}
