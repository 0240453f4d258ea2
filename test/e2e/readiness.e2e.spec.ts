import { driveCallback } from '../support/callbacks';
import { eventually, Harness, startHarness } from '../support/harness';

jest.setTimeout(120_000);
const CALLBACK_SECRET = 'readiness-callback-secret-0001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Readiness is this replica's own. A ZEGO outage (first failing, then refusing the credentials) is
 * played in compressed time: the circuit opens after 3 failures and probes every second, and the
 * sync-lag threshold is 1 s, so a few seconds here stand for many minutes of a real outage. All that
 * while readiness stays 200 and every signed callback sent is stored, while /status shows the outage.
 */
describe('readiness during an upstream outage', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: {
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        CIRCUIT_THRESHOLD: '3',
        CIRCUIT_HALF_OPEN_S: '1',
        SYNC_LAG_THRESHOLD_S: '1',
        ZEGO_TIMEOUT_MS: '500',
      },
      simulator: { failureRate: 0 },
    });
  });
  afterAll(() => h.close());

  it('stays ready and stores every signed callback while the upstream fails and then refuses the credentials', async () => {
    const tracked = Array.from({ length: 4 }, () => h.simulator.engine.createTask().taskId);
    for (const taskId of tracked) expect((await h.request('PUT', `/tasks/${taskId}`)).status).toBe(201);
    await eventually(async () => {
      for (const taskId of tracked) if (!(await h.request('GET', `/tasks/${taskId}`)).body.lastSyncedAt) return false;
      return true;
    });

    const readiness: number[] = [];
    const sent: Array<{ taskId: string; driveId: string; status: number; outcome: string }> = [];
    const seen = { circuitOpen: false, credentialsProblem: '', maxLagSeconds: 0 };
    let i = 0;
    /** Probes, callbacks and status reads, every 100 ms, until `until` holds and at least `minMs` passed. */
    const outage = async (phase: string, until: () => boolean, minMs: number) => {
      const started = Date.now();
      while (Date.now() - started < minMs || !until()) {
        if (Date.now() - started > 30_000) throw new Error(`${phase}: the outage never showed in /status`);
        readiness.push((await h.request('GET', '/health/ready')).status);
        const taskId = `outage-task-${i % 3}`;
        const driveId = `${phase}-drive-${i}`;
        const res = await h.request('POST', '/callbacks/zego', {
          body: driveCallback(CALLBACK_SECRET, taskId, driveId, 2),
        });
        sent.push({ taskId, driveId, status: res.status, outcome: res.body?.outcome });
        if (i % 3 === 0) {
          const status = (await h.request('GET', '/status')).body;
          seen.circuitOpen ||= status.circuitOpen;
          seen.credentialsProblem ||= status.upstreamCredentialsProblem ?? '';
          seen.maxLagSeconds = Math.max(seen.maxLagSeconds, status.syncLagSeconds);
        }
        i++;
        await sleep(100);
      }
    };

    // The upstream fails: HTTP 503 on every call, long enough for several probes of the open circuit.
    h.simulator.injectFault({ httpStatus: 503 });
    await outage('failing', () => seen.circuitOpen, 4000);
    // Then it answers, but refuses the credentials (signature wrong).
    h.simulator.clearFaults();
    h.simulator.injectFault({ code: 100000005 });
    await outage('refused', () => seen.credentialsProblem !== '', 3000);
    h.simulator.clearFaults();

    expect(seen.circuitOpen).toBe(true);
    expect(seen.credentialsProblem).toMatch(/signature wrong/);
    expect(readiness.length).toBeGreaterThan(5);
    expect(readiness.filter((code) => code !== 200)).toEqual([]);
    expect(sent.filter((s) => s.status !== 200 || s.outcome !== 'recorded')).toEqual([]);
    const stored = await h.db.query<{ task_id: string; drive_id: string; status: number }>(
      `SELECT task_id, drive_id, status FROM drive WHERE task_id LIKE 'outage-task-%'`,
    );
    expect(new Set(stored.map((r) => `${r.task_id}/${r.drive_id}/${r.status}`))).toEqual(
      new Set(sent.map((s) => `${s.taskId}/${s.driveId}/2`)), // each sent as playing
    );
  });
});
