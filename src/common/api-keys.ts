import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The key a request presents: `Authorization: Bearer <key>`, else `X-API-Key: <key>`. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  const bearer =
    typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
  const apiKey = headers['x-api-key'];
  return bearer || (typeof apiKey === 'string' ? apiKey.trim() : undefined) || undefined;
}

/**
 * The configured API keys, compared as SHA-256 digests in constant time (neither a key's content
 * nor its length leaks through timing).
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: string[]) {
    this.digests = keys.map(digest);
  }

  get required(): boolean {
    return this.digests.length > 0;
  }

  /** Which configured key (its index) the request presents; -1 when none or a wrong one. */
  match(presented: string | undefined): number {
    if (!presented) return -1;
    const candidate = digest(presented);
    let found = -1;
    this.digests.forEach((key, i) => {
      if (timingSafeEqual(key, candidate) && found < 0) found = i;
    });
    return found;
  }
}
