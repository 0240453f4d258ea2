import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKeyEntry } from '../config/api-keys';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The key a request presents: `Authorization: Bearer <key>`, else `X-API-Key: <key>`. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  const bearer =
    typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
  const apiKey = headers['x-api-key'];
  return bearer || (typeof apiKey === 'string' ? apiKey.trim() : undefined) || undefined;
}

/** A configured key as the rest of the service sees it: never the key itself. */
export interface MatchedKey {
  scope: ApiKeyEntry['scope'];
  fingerprint: string;
  /** The key's full SHA-256 (hex): what the rate limiter counts by. */
  id: string;
}

/**
 * The configured API keys, compared as SHA-256 digests in constant time (neither a key's content
 * nor its length leaks through timing).
 */
export class ApiKeys {
  private readonly entries: Array<{ digest: Buffer; matched: MatchedKey }>;

  constructor(keys: ApiKeyEntry[]) {
    this.entries = keys.map((k) => {
      const d = digest(k.key);
      return { digest: d, matched: { scope: k.scope, fingerprint: k.fingerprint, id: d.toString('hex') } };
    });
  }

  get required(): boolean {
    return this.entries.length > 0;
  }

  /** The configured key the request presents; undefined when none or a wrong one. */
  match(presented: string | undefined): MatchedKey | undefined {
    if (!presented) return undefined;
    const candidate = digest(presented);
    let found: MatchedKey | undefined;
    // Every entry is compared, so the time taken does not say which one matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, candidate) && !found) found = entry.matched;
    }
    return found;
  }
}

/**
 * Where the guard leaves the key a request was let in with, on the raw request: the request log
 * line (app/logging.ts) and GET /auth/whoami read it from there.
 */
export const MATCHED_KEY = Symbol('drive-status:matched-key');

export type WithMatchedKey = { [MATCHED_KEY]?: MatchedKey };

/** How a log line names a key: `scope:fingerprint`. */
export const keyLabel = (key: MatchedKey) => `${key.scope}:${key.fingerprint}`;
