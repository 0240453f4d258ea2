import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, ensureDatabase } from '../../src/database/embedded-postgres';
import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { inconsistencies, serviceEnv, ServiceProcess, startService } from '../support/processes';
import { startPrivatePostgres } from '../support/private-postgres';

jest.setTimeout(180_000);
const CALLBACK_SECRET = 'outage-callback-secret-77';
const API_KEY = 'outage-api-key-0123456789abcdef';
const auth = { authorization: `Bearer ${API_KEY}` };

describe('PostgreSQL stopped for a while', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drive-status-outage-'));
  let pg: { serverUrl: string; stop(): Promise<void> };
  let url: string;
  let port: number;
  let sim: ZegoSimulator;
  let service: ServiceProcess;
  const query = async <T>(sql: string): Promise<T[]> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql)).rows as T[];
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    pg = await startPrivatePostgres(dir);
    port = Number(new URL(pg.serverUrl).port);
    url = await ensureDatabase(pg.serverUrl, 'outage');
    await applyMigrations(url);
    sim = new ZegoSimulator({
      appId: TEST_APP_ID,
      serverSecret: TEST_SERVER_SECRET,
      driveDurationMs: [300, 900],
      initDelayMs: 0,
      failureRate: 0.2,
    });
    await sim.listen(0);
    service = await startService(
      serviceEnv(url, sim.url, {
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        API_KEYS: API_KEY,
        POLL_INTERVAL_MS: '300',
      }),
    );
    sim.sendCallbacksTo({
      url: `${service.url}/callbacks/zego`,
      secret: CALLBACK_SECRET,
      duplicateRate: 0.3,
      reorderMaxDelayMs: 200,
      retryDelaysMs: [1000, 2000, 4000, 8000, 16000],
    });
  });
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await sim?.close();
    await pg?.stop();
  });

  it('reports not ready, answers 503 instead of hanging, reconnects by itself, and loses or repeats nothing', async () => {
    const tasks = Array.from({ length: 4 }, () => sim.engine.createTask());
    // (The simulator's task callbacks may have made them tracked already: 200 or 201.)
    for (const t of tasks)
      expect([200, 201]).toContain((await service.request('PUT', `/tasks/${t.taskId}`, { headers: auth })).status);
    const driving = setInterval(() => {
      for (const t of tasks) if (Math.random() < 0.5) sim.engine.drive(t.taskId, 'text');
    }, 500);
    try {
      await new Promise((r) => setTimeout(r, 3000));
      await pg.stop();
      const down = await eventually(async () => {
        if (service.child.exitCode !== null) throw new Error(`the service died: ${service.output().slice(-3000)}`);
        const r = await service.request('GET', '/health/ready');
        return r.status === 503 && r.body.error?.database ? r : undefined;
      }, 15_000);
      expect(down.body.error.database.status).toBe('down');
      const read = await service.request('GET', `/tasks/${tasks[0].taskId}`, { headers: auth });
      expect(read.status).toBe(503);
      expect(read.body.message).toMatch(/database/);
      expect(read.ms).toBeLessThan(8000);
      expect((await service.request('GET', '/health/live')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 10_000));
      pg = await startPrivatePostgres(dir, port);
      await eventually(async () => (await service.request('GET', '/health/ready')).status === 200, 30_000);
      await new Promise((r) => setTimeout(r, 3000));
    } finally {
      clearInterval(driving);
    }

    // After recovery the record converges on the upstream's truth.
    await eventually(async () => {
      for (const t of tasks) {
        const page = (await service.request('GET', `/tasks/${t.taskId}/drives?limit=500`, { headers: auth })).body;
        const truth = sim.engine.findTask(t.taskId).drives;
        if (page.items?.length !== truth.length) return false;
        for (const d of truth)
          if (page.items.find((x: { driveId: string }) => x.driveId === d.driveId)?.statusCode !== d.status)
            return false;
      }
      return true;
    }, 40_000);
    await sim.flushCallbacks();
    expect(sim.stats.callbacks.dropped).toBe(0);
    expect(await inconsistencies(query)).toEqual([]);
  });

  it('never logged a secret or the database password, through all of that', () => {
    const password = decodeURIComponent(new URL(url).password);
    const output = service.output();
    expect(output.length).toBeGreaterThan(1000);
    for (const secret of [TEST_SERVER_SECRET, CALLBACK_SECRET, API_KEY, password]) expect(output).not.toContain(secret);
  });
});
