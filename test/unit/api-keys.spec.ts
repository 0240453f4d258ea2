import { createHash } from 'node:crypto';
import { fingerprint, grants, parseApiKeys, SCOPES } from '../../src/config/api-keys';
import { loadConfig } from '../../src/config/app-config';
import { ApiKeys } from '../../src/common/api-keys';

const K1 = 'k1-0123456789abcdef';
const K2 = 'k2-0123456789abcdef';
const K3 = 'k3-0123456789abcdef';

describe('API_KEYS', () => {
  it('reads scope:key entries, and a bare key as admin (the form used before scopes)', () => {
    const { keys, problems } = parseApiKeys(`read:${K1}, write:${K2},${K3},metrics:${K1}x,admin:${K2}x`);
    expect(problems).toEqual([]);
    expect(keys.map((k) => [k.scope, k.key])).toEqual([
      ['read', K1],
      ['write', K2],
      ['admin', K3],
      ['metrics', `${K1}x`],
      ['admin', `${K2}x`],
    ]);
  });

  it('keeps a bare key whose colon does not follow a lower-case word (base64, URL-safe, hex keys have none)', () => {
    expect(parseApiKeys('Key:0123456789abcdef').keys).toEqual([expect.objectContaining({ scope: 'admin' })]);
    expect(parseApiKeys('0123:456789abcdef0').keys).toEqual([expect.objectContaining({ scope: 'admin' })]);
  });

  it('names every bad entry by its position, never by its content', () => {
    const secret = 'TOP-SECRET-0123456789';
    const { keys, problems } = parseApiKeys(
      `reader:${secret},write:,read:short,${K1},,admin:${K1},write:${secret} x,read:${K2}`,
    );
    expect(problems).toEqual([
      'API_KEYS entry 1 has an unknown scope before its colon (use metrics, read, write, admin)',
      'API_KEYS entry 2 has the scope write but no key after the colon',
      'API_KEYS entry 3: a key must be at least 16 characters without spaces',
      'API_KEYS entry 5 is empty (remove the extra comma)',
      'API_KEYS entry 6 repeats the key of entry 4 (one key, one scope)',
      'API_KEYS entry 7: a key must be at least 16 characters without spaces',
    ]);
    expect(problems.join(' ')).not.toMatch(/SECRET|short|k1-0123/);
    expect(keys.map((k) => k.key)).toEqual([K1, K2]);
  });

  it('stops the start on any bad entry, with the message and without the key', () => {
    let message = '';
    try {
      loadConfig({ API_KEYS: `read:${K1},superuser:${K2}` });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('API_KEYS entry 2 has an unknown scope');
    expect(message).not.toContain(K2);
    expect(() => loadConfig({ API_KEYS: `read:${K1},admin:${K1}` })).toThrow(/repeats the key of entry 1/);
    expect(loadConfig({ API_KEYS: `read:${K1}` }).apiKeys).toEqual([
      { scope: 'read', key: K1, fingerprint: fingerprint(K1) },
    ]);
  });

  it('fingerprints a key by the first 8 hex digits of its SHA-256', () => {
    expect(fingerprint(K1)).toBe(createHash('sha256').update(K1).digest('hex').slice(0, 8));
    expect(fingerprint(K1)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('orders the scopes: metrics < read < write < admin, metrics granting nothing else', () => {
    const table = Object.fromEntries(SCOPES.map((held) => [held, SCOPES.filter((needed) => grants(held, needed))]));
    expect(table).toEqual({
      metrics: ['metrics'],
      read: ['metrics', 'read'],
      write: ['metrics', 'read', 'write'],
      admin: ['metrics', 'read', 'write', 'admin'],
    });
  });

  it('matches a presented key to its entry, identified by digest rather than position', () => {
    const keys = new ApiKeys(parseApiKeys(`read:${K1},write:${K2}`).keys);
    const reordered = new ApiKeys(parseApiKeys(`admin:${K3},write:${K2},read:${K1}`).keys);
    expect(keys.match(K1)).toMatchObject({ scope: 'read', fingerprint: fingerprint(K1) });
    expect(keys.match(K2)?.scope).toBe('write');
    expect(keys.match(K3)).toBeUndefined();
    expect(keys.match(undefined)).toBeUndefined();
    expect(reordered.match(K1)?.id).toBe(keys.match(K1)?.id);
    expect(JSON.stringify(keys.match(K1))).not.toContain(K1);
  });
});
