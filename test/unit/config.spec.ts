import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { renderConfigurationReference, renderEnvExample } from '../../src/config/config-reference';
import { retryDelay } from '../../src/sync/sync.service';

describe('configuration', () => {
  it('has working defaults and demo mode without credentials', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.ZEGO_RATE_LIMIT).toBe(10);
    expect(c.ZEGO_API_URL).toBe('https://aigc-digitalhuman-api.zegotech.cn');
    expect(c.demoMode).toBe(true);
    expect(c.apiKeys).toEqual([]);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ZEGO_RATE_LIMIT: '0' })).toThrow(/ZEGO_RATE_LIMIT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ZEGO_API_URL: 'not a url' })).toThrow(/ZEGO_API_URL/);
    expect(() => loadConfig({ SYNC_ENABLED: 'maybe' })).toThrow(/SYNC_ENABLED/);
  });

  it('never repeats a secret in its complaints', () => {
    const secret = 'abc';
    let message = '';
    try {
      loadConfig({ ZEGO_APP_ID: '1', ZEGO_SERVER_SECRET: secret, API_KEYS: 'short key with spaces' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ZEGO_SERVER_SECRET/);
    expect(message).toMatch(/API_KEYS/);
    expect(message).not.toContain('short key');
  });

  it('wants both credentials or neither', () => {
    expect(() => loadConfig({ ZEGO_APP_ID: '123' })).toThrow(/together/);
    expect(loadConfig({ ZEGO_APP_ID: '123', ZEGO_SERVER_SECRET: '0123456789abcdef', API_OPEN: 'true' }).demoMode).toBe(
      false,
    );
  });

  it('is closed by default: API keys are needed with ZEGO credentials or in production, unless API_OPEN', () => {
    const real = { ZEGO_APP_ID: '123', ZEGO_SERVER_SECRET: '0123456789abcdef' };
    expect(() => loadConfig(real)).toThrow(/API_KEYS must be set when ZEGO credentials are .*API_OPEN=true/);
    expect(loadConfig({ ...real, API_OPEN: 'true' }).apiKeys).toEqual([]);
    expect(loadConfig({ ...real, API_KEYS: 'k1-0123456789abcdef' }).apiKeys).toHaveLength(1);
    expect(() => loadConfig({ ...real, API_OPEN: 'sure' })).toThrow(/API_OPEN must be true or false/);
    expect(loadConfig({}).demoMode).toBe(true); // demo mode, on the simulator, may run open
  });

  it('refuses production without API keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/API_KEYS/);
    expect(
      loadConfig({ NODE_ENV: 'production', API_KEYS: 'k1-0123456789abcdef,k2-0123456789abcdef' }).apiKeys,
    ).toHaveLength(2);
  });
});

describe('configuration as one table', () => {
  it('refuses settings whose concurrency can take the whole pool, naming the variables', () => {
    expect(() => loadConfig({ GROUP_COMMIT_CONCURRENCY: '16', REPORT_CONCURRENCY: '16' })).toThrow(
      /DATABASE_POOL_SIZE \(20\) must be at least GROUP_COMMIT_CONCURRENCY \+ REPORT_CONCURRENCY \+ 4 \(36\)/,
    );
    expect(
      loadConfig({ GROUP_COMMIT_CONCURRENCY: '16', REPORT_CONCURRENCY: '16', DATABASE_POOL_SIZE: '36' })
        .DATABASE_POOL_SIZE,
    ).toBe(36);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '2' })).toThrow(/DATABASE_POOL_SIZE must be between 5 and 200/);
  });

  it('reads whole numbers only, and an empty value as unset', () => {
    expect(() => loadConfig({ PORT: '3000.5' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig({ DEMO_FAILURE_RATE: '2' })).toThrow(/DEMO_FAILURE_RATE/);
    expect(loadConfig({ PORT: '', HISTORY_RETENTION_DAYS: '' }).PORT).toBe(3000);
    expect(loadConfig({ HISTORY_RETENTION_DAYS: '' }).HISTORY_RETENTION_DAYS).toBeUndefined();
    expect(loadConfig({ HISTORY_RETENTION_DAYS: '30' }).HISTORY_RETENTION_DAYS).toBe(30);
  });

  it('docs/configuration.md and .env.example are generated from the table (npm run config:docs)', () => {
    const root = join(__dirname, '..', '..');
    expect(readFileSync(join(root, 'docs', 'configuration.md'), 'utf8')).toBe(renderConfigurationReference());
    expect(readFileSync(join(root, '.env.example'), 'utf8')).toBe(renderEnvExample());
  });
});

describe('retryDelay', () => {
  it('grows exponentially with jitter, within [base, max]', () => {
    expect(retryDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelay(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(retryDelay(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryDelay(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelay(30, 1000, 60_000, () => 0)).toBe(30_000);
  });
});
