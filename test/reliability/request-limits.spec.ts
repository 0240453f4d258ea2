import { Harness, startHarness } from '../support/harness';

/** Limits a hostile client cannot talk its way around. */
const KEYS = ['limits-key-one-0000000001', 'limits-key-two-0000000002'];

describe('per-client rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '5', API_KEYS: KEYS.join(',') } });
  });
  afterAll(() => h.close());
  const get = (key?: string) => h.request('GET', '/tasks', { headers: key ? { 'x-api-key': key } : {} });

  it('does not give a fresh quota to every invented key: they share their address’s', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await get(`invented-key-${i}-000000000000`)).status);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    // No key at all: the same address, the same spent quota.
    expect((await get()).status).toBe(429);
  });

  it('gives each configured key its own quota, whichever header carries it', async () => {
    for (let i = 0; i < 5; i++) expect((await get(KEYS[0])).status).toBe(200);
    expect((await h.request('GET', '/tasks', { headers: { authorization: `Bearer ${KEYS[0]}` } })).status).toBe(429);
    expect((await get(KEYS[1])).status).toBe(200);
  });
});
