import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { inconsistencies, serviceEnv, ServiceProcess, startService } from '../support/processes';

jest.setTimeout(180_000);
const CALLBACK_SECRET = 'crash-callback-secret-42';
const rank = (s: number) => (s >= 3 ? 3 : s);

describe('kill -9 in the middle of syncing and of a callback burst', () => {
  let db: TestDatabase;
  let sim: ZegoSimulator;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new ZegoSimulator({
      appId: TEST_APP_ID,
      serverSecret: TEST_SERVER_SECRET,
      driveDurationMs: [100, 300],
      initDelayMs: 0,
      failureRate: 0.3,
    });
    await sim.listen(0);
  });
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await sim.close();
    await db.drop();
  });

  it('leaves no half-written change and loses no acknowledged callback', async () => {
    const env = serviceEnv(db.url, sim.url, {
      ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
      POLL_INTERVAL_MS: '200',
    });
    service = await startService(env);
    const port = service.port;
    sim.sendCallbacksTo({
      url: `${service.url}/callbacks/zego`,
      secret: CALLBACK_SECRET,
      duplicateRate: 0.5,
      reorderMaxDelayMs: 50,
      retryDelaysMs: [500, 1000, 2000, 4000, 8000],
    });
    const tasks = Array.from({ length: 8 }, () => sim.engine.createTask());
    for (const t of tasks) await service.request('PUT', `/tasks/${t.taskId}`);
    const burst = setInterval(() => {
      for (const t of tasks) for (let i = 0; i < 3; i++) sim.engine.drive(t.taskId, 'text', Math.random() < 0.1);
    }, 100);
    try {
      for (let round = 0; round < 2; round++) {
        await new Promise((r) => setTimeout(r, 2500));
        const acked = sim.stats.callbacks.acknowledged;
        await service.kill('SIGKILL');
        expect(acked).toBeGreaterThan(0);
        // Restart on the same port: ZEGO keeps the callback URL, and retries what was not acknowledged.
        service = await startService(env, port);
      }
    } finally {
      clearInterval(burst);
    }
    await sim.flushCallbacks();
    await eventually(async () => {
      for (const t of tasks) {
        const c = (await service!.request('GET', `/tasks/${t.taskId}`)).body.counts;
        if (c.total !== sim.engine.findTask(t.taskId).drives.length || c.queued + c.playing > 0) return false;
      }
      return true;
    }, 60_000);

    expect(await inconsistencies((sql) => db.query(sql))).toEqual([]);
    // Every acknowledged drive event is in the record: its status, or (for a late queued/playing)
    // a later one that was recorded first.
    const rows = await db.query<{ drive_id: string; statuses: number[] }>(
      `SELECT d.drive_id, array_agg(h.status::int) AS statuses FROM drive d JOIN drive_history h ON h.drive_row_id = d.id GROUP BY d.drive_id`,
    );
    const history = new Map(rows.map((r) => [r.drive_id, r.statuses]));
    const missing = sim.stats.acknowledgedDriveEvents.filter((e) => {
      const statuses = history.get(e.driveId) ?? [];
      return !statuses.includes(e.status) && !statuses.some((s) => rank(s) > rank(e.status));
    });
    expect(sim.stats.acknowledgedDriveEvents.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
