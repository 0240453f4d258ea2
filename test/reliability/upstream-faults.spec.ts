import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { inconsistencies, serviceEnv, ServiceProcess, startService } from '../support/processes';

jest.setTimeout(120_000);
const NAMES = ['', 'queued', 'playing', 'failed', 'finished'];

describe('upstream faults', () => {
  let db: TestDatabase;
  let sim: ZegoSimulator;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new ZegoSimulator({
      appId: TEST_APP_ID,
      serverSecret: TEST_SERVER_SECRET,
      driveDurationMs: [200, 600],
      initDelayMs: 0,
      failureRate: 0.2,
    });
    await sim.listen(0);
    service = await startService(
      serviceEnv(db.url, sim.url, {
        ZEGO_TIMEOUT_MS: '800',
        POLL_INTERVAL_MS: '300',
        IDLE_POLL_INTERVAL_MS: '600',
        CIRCUIT_THRESHOLD: '5',
        CIRCUIT_HALF_OPEN_S: '2',
      }),
    );
  });
  afterAll(async () => {
    await service.kill('SIGKILL');
    await sim.close();
    await db.drop();
  });

  it('keeps serving, opens the circuit, writes no wrong status, and converges within two sweeps after recovery', async () => {
    const tasks = Array.from({ length: 6 }, () => sim.engine.createTask());
    for (const t of tasks) await service.request('PUT', `/tasks/${t.taskId}`);
    await eventually(async () => {
      for (const t of tasks) if (!(await service.request('GET', `/tasks/${t.taskId}`)).body.lastSyncedAt) return false;
      return true;
    });

    // Every kind of fault, one after another, while drives keep changing upstream.
    const faults = [
      { httpStatus: 502 },
      { nonJson: true },
      { code: 400010000 },
      { delayMs: 1500 },
      { httpStatus: 503 },
    ];
    let k = 0;
    sim.injectFault(faults[0]);
    const rotate = setInterval(() => {
      sim.clearFaults();
      sim.injectFault(faults[++k % faults.length]);
    }, 1500);
    const drives = setInterval(() => {
      for (const t of tasks) if (Math.random() < 0.5) sim.engine.drive(t.taskId, 'text');
    }, 400);
    try {
      // The circuit opens; /status says so, and the replica stays in rotation.
      await eventually(async () => (await service.request('GET', '/status')).body.circuitOpen === true, 30_000);
      expect((await service.request('GET', '/health/ready')).status).toBe(200);
      // Reads go on, quickly, while the upstream is down.
      const read = await service.request('GET', `/tasks/${tasks[0].taskId}/drives`);
      expect(read.status).toBe(200);
      expect(read.ms).toBeLessThan(2000);
      await eventually(async () => (await service.request('GET', `/tasks/${tasks[0].taskId}`)).body.lastSyncError);
      await new Promise((r) => setTimeout(r, 3000));
    } finally {
      clearInterval(rotate);
      clearInterval(drives);
    }

    // Never a wrong status: every stored status is one the drive really passed through.
    for (const t of tasks) {
      const page = (await service.request('GET', `/tasks/${t.taskId}/drives?limit=500`)).body;
      for (const d of page.items) {
        const seen = sim.engine.events.filter((e) => e.driveId === d.driveId).map((e) => NAMES[e.status]);
        expect(seen).toContain(d.status);
      }
    }

    // Recovery: count the polls it takes until the record matches the upstream again.
    sim.clearFaults();
    sim.engine.advance();
    const pollsBefore = sim.stats.byAction.GetDriveStatus ?? 0;
    await eventually(async () => {
      for (const t of tasks) {
        const page = (await service.request('GET', `/tasks/${t.taskId}/drives?limit=500`)).body;
        const truth = sim.engine.findTask(t.taskId).drives;
        if (page.items.length !== truth.length) return false;
        for (const d of truth) {
          const mine = page.items.find((x: { driveId: string }) => x.driveId === d.driveId);
          if (!mine || mine.statusCode !== d.status) return false;
        }
      }
      return true;
    }, 30_000);
    const polls = (sim.stats.byAction.GetDriveStatus ?? 0) - pollsBefore;
    // Two sweeps of six tasks, plus the probe that closes the circuit (drives still finishing
    // upstream meanwhile can add a sweep of their own).
    expect(polls).toBeLessThanOrEqual(3 * tasks.length + 1);
    expect((await service.request('GET', '/health/ready')).status).toBe(200);
    expect(await inconsistencies((sql) => db.query(sql))).toEqual([]);
  });
});
