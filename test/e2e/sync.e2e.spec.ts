import { eventually, Harness, startHarness, TEST_SERVER_SECRET } from '../support/harness';

const NAMES = ['', 'queued', 'playing', 'failed', 'finished'];

describe('sync: the service records what the upstream does', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('follows drives through queued → playing → finished | failed and keeps their full history', async () => {
    const sim = h.simulator.engine;
    const tasks = [sim.createTask(), sim.createTask(), sim.createTask()];
    for (const t of tasks) expect((await h.request('PUT', `/tasks/${t.taskId}`)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 100));
    for (const t of tasks) for (let i = 0; i < 4; i++) sim.drive(t.taskId, 'text');

    // Wait until the simulator has played everything and the service has caught up.
    await eventually(async () => {
      for (const t of tasks) {
        const body = (await h.request('GET', `/tasks/${t.taskId}/drives`)).body;
        if (body.counts.total !== 4 || body.counts.failed + body.counts.finished !== 4) return false;
      }
      return true;
    }, 30_000);

    for (const t of tasks) {
      const simTask = sim.findTask(t.taskId);
      const { body } = await h.request('GET', `/tasks/${t.taskId}/drives`);
      expect(body.items.map((d: { driveId: string }) => d.driveId).sort()).toEqual(
        simTask.drives.map((d) => d.driveId).sort(),
      );
      for (const simDrive of simTask.drives) {
        const drive = (await h.request('GET', `/tasks/${t.taskId}/drives/${simDrive.driveId}`)).body;
        expect(drive.status).toBe(NAMES[simDrive.status]);
        expect(drive.statusCode).toBe(simDrive.status);
        // Every recorded step is one the drive really took, in order, each from the previous one.
        const truth = sim.events.filter((e) => e.driveId === simDrive.driveId).map((e) => NAMES[e.status]);
        const steps = drive.history.map((e: { status: string }) => e.status);
        expect(steps[steps.length - 1]).toBe(truth[truth.length - 1]);
        expect(truth.filter((s) => steps.includes(s))).toEqual(steps);
        drive.history.forEach((e: { previousStatus: string | null; source: string }, i: number) => {
          expect(e.previousStatus).toBe(i === 0 ? null : steps[i - 1]);
          expect(e.source).toBe('poll');
        });
        expect(Date.parse(drive.firstSeenAt)).toBeLessThanOrEqual(Date.parse(drive.statusChangedAt));
        expect(Date.parse(drive.statusChangedAt)).toBeLessThanOrEqual(Date.parse(drive.lastSeenAt));
      }
      const failed = simTask.drives.filter((d) => d.status === 3).length;
      expect(body.counts).toEqual({ queued: 0, playing: 0, failed, finished: 4 - failed, unresolved: 0, total: 4 });
      expect(body.failureRate).toBeCloseTo(failed / 4);
    }
  });

  it('counts failures per hour bucket exactly as the history says', async () => {
    const sim = h.simulator.engine;
    const task = sim.createTask();
    await h.request('PUT', `/tasks/${task.taskId}`);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 6; i++) sim.drive(task.taskId, 'text');
    await eventually(async () => {
      const c = (await h.request('GET', `/tasks/${task.taskId}`)).body.counts;
      return c.failed + c.finished === 6;
    }, 30_000);
    const history = await h.db.query<{ status: number; hour: Date }>(
      `SELECT status, date_trunc('hour', observed_at, 'UTC') AS hour FROM drive_history WHERE task_id = $1 AND status IN (3, 4)`,
      [task.taskId],
    );
    const { status, body } = await h.request('GET', `/tasks/${task.taskId}/failures?interval=hour`);
    expect(status).toBe(200);
    expect(body.buckets).toHaveLength(7 * 24);
    const expected = new Map<string, { failed: number; finished: number }>();
    for (const row of history) {
      const key = row.hour.toISOString();
      const e = expected.get(key) ?? { failed: 0, finished: 0 };
      if (row.status === 3) e.failed += 1;
      else e.finished += 1;
      expected.set(key, e);
    }
    for (const bucket of body.buckets) {
      expect({ failed: bucket.failed, finished: bucket.finished }).toEqual(
        expected.get(bucket.start) ?? { failed: 0, finished: 0 },
      );
    }
    const day = (
      await h.request(
        'GET',
        `/tasks/${task.taskId}/failures?interval=day&from=${new Date(Date.now() - 86_400_000).toISOString()}`,
      )
    ).body;
    const total = day.buckets.reduce(
      (n: number, b: { failed: number; finished: number }) => n + b.failed + b.finished,
      0,
    );
    expect(total).toBe(6);
  });

  it('records a failing task’s error, keeps the other tasks fresh, and recovers', async () => {
    const sim = h.simulator.engine;
    const sick = sim.createTask();
    const healthy = sim.createTask();
    await h.request('PUT', `/tasks/${sick.taskId}`);
    await h.request('PUT', `/tasks/${healthy.taskId}`);
    h.simulator.injectFault({ httpStatus: 503, taskId: sick.taskId });
    await new Promise((r) => setTimeout(r, 100));
    const drive = sim.drive(healthy.taskId, 'text');
    await eventually(async () =>
      (await h.request('GET', `/tasks/${sick.taskId}`)).body.lastSyncError?.includes('HTTP 503'),
    );
    await eventually(
      async () => (await h.request('GET', `/tasks/${healthy.taskId}/drives/${drive.driveId}`)).status === 200,
    );
    expect((await h.request('GET', `/tasks/${healthy.taskId}`)).body.lastSyncError).toBeNull();

    h.simulator.clearFaults();
    const after = await eventually(async () => {
      const body = (await h.request('GET', `/tasks/${sick.taskId}`)).body;
      return body.lastSyncError === null && body.lastSyncedAt ? body : undefined;
    }, 20_000);
    expect(after.lastSyncError).toBeNull();
  });

  it('marks a task the upstream no longer knows as ended and stops polling it', async () => {
    const sim = h.simulator.engine;
    const task = sim.createTask();
    await h.request('PUT', `/tasks/${task.taskId}`);
    h.simulator.injectFault({ code: 400000005, taskId: task.taskId, actions: ['GetDriveStatus'] });
    const ended = await eventually(async () => {
      const body = (await h.request('GET', `/tasks/${task.taskId}`)).body;
      return body.endedAt ? body : undefined;
    });
    expect(ended.lastSyncError).toContain('400000005');
    const [{ next }] = await h.db.query<{ next: Date }>('SELECT next_poll_at AS next FROM task WHERE task_id = $1', [
      task.taskId,
    ]);
    await h.scheduler.tick();
    await h.scheduler.drain();
    const [{ next: again }] = await h.db.query<{ next: Date }>(
      'SELECT next_poll_at AS next FROM task WHERE task_id = $1',
      [task.taskId],
    );
    expect(again).toEqual(next);
  });

  it('stops polling an untracked task but keeps its data', async () => {
    const sim = h.simulator.engine;
    const task = sim.createTask();
    await h.request('PUT', `/tasks/${task.taskId}`);
    await new Promise((r) => setTimeout(r, 100));
    const d = sim.drive(task.taskId, 'text');
    await eventually(async () => (await h.request('GET', `/tasks/${task.taskId}/drives/${d.driveId}`)).status === 200);
    expect((await h.request('DELETE', `/tasks/${task.taskId}`)).status).toBe(204);
    const before = (await h.request('GET', `/tasks/${task.taskId}`)).body;
    expect(before.tracking).toBe(false);
    await new Promise((r) => setTimeout(r, 1200));
    const after = (await h.request('GET', `/tasks/${task.taskId}`)).body;
    expect(after.lastSyncedAt).toBe(before.lastSyncedAt);
    expect((await h.request('GET', `/tasks/${task.taskId}/drives/${d.driveId}`)).status).toBe(200);
    // Tracking again is a new start of tracking.
    expect((await h.request('PUT', `/tasks/${task.taskId}`)).status).toBe(201);
    expect((await h.request('PUT', `/tasks/${task.taskId}`)).status).toBe(200);
  });

  it('never writes the ServerSecret to a log line, even with faults', () => {
    expect(h.logs.lines.length).toBeGreaterThan(0);
    for (const line of h.logs.lines) expect(line).not.toContain(TEST_SERVER_SECRET);
  });
});
