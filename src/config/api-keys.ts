import { createHash } from 'node:crypto';

/**
 * What a key may do, from least to most (metrics aside):
 * - `metrics`: GET /metrics only (a Prometheus scraper);
 * - `read`: every GET, /metrics included (dashboard viewers, reporting);
 * - `write`: read, plus tracking, producer registration and any other ingest route;
 * - `admin`: write, plus alert rules, webhooks and silences.
 */
export const SCOPES = ['metrics', 'read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scopes each scope includes. */
const INCLUDES: Record<Scope, readonly Scope[]> = {
  metrics: ['metrics'],
  read: ['read', 'metrics'],
  write: ['write', 'read', 'metrics'],
  admin: ['admin', 'write', 'read', 'metrics'],
};

/** Whether a key of scope `held` may call a route that needs `needed`. */
export function grants(held: Scope, needed: Scope): boolean {
  return INCLUDES[held].includes(needed);
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** How logs and answers name a key: the first 8 hex digits of its SHA-256 (the key cannot be found from it). */
export function fingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export interface ApiKeyEntry {
  scope: Scope;
  key: string;
  /** See fingerprint(). */
  fingerprint: string;
}

export const MIN_KEY_LENGTH = 16;

/**
 * A lower-case word and a colon at the start of an entry is read as a scope. Anything else is a
 * bare key of today's form (admin): base64 and hex keys have no colon, so they stay bare.
 */
const SCOPE_PREFIX = /^([a-z]{1,16}):/;

/**
 * Parses API_KEYS: comma-separated entries, each `scope:key` or a bare key (admin, so deployments
 * configured before scopes keep working). Every problem is named by the entry's position, never
 * by its content: a message about a key must not show the key.
 */
export function parseApiKeys(value: string | undefined): { keys: ApiKeyEntry[]; problems: string[] } {
  const keys: ApiKeyEntry[] = [];
  const problems: string[] = [];
  if (value === undefined || value.trim() === '') return { keys, problems };
  const firstPosition = new Map<string, number>();
  value.split(',').forEach((raw, index) => {
    const where = `API_KEYS entry ${index + 1}`;
    const entry = raw.trim();
    if (entry === '') {
      problems.push(`${where} is empty (remove the extra comma)`);
      return;
    }
    const prefix = SCOPE_PREFIX.exec(entry);
    const scope = prefix ? prefix[1] : 'admin';
    const key = prefix ? entry.slice(prefix[0].length) : entry;
    if (!isScope(scope)) {
      problems.push(`${where} has an unknown scope before its colon (use ${SCOPES.join(', ')})`);
      return;
    }
    if (key === '') {
      problems.push(`${where} has the scope ${scope} but no key after the colon`);
      return;
    }
    if (/\s/.test(key) || key.length < MIN_KEY_LENGTH) {
      problems.push(`${where}: a key must be at least ${MIN_KEY_LENGTH} characters without spaces`);
      return;
    }
    const earlier = firstPosition.get(key);
    if (earlier !== undefined) {
      problems.push(`${where} repeats the key of entry ${earlier} (one key, one scope)`);
      return;
    }
    firstPosition.set(key, index + 1);
    keys.push({ scope, key, fingerprint: fingerprint(key) });
  });
  return { keys, problems };
}
