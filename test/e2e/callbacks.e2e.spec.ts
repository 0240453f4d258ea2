import { signedCallback } from '../support/callbacks';
import { eventually, Harness, startHarness, TEST_SERVER_SECRET } from '../support/harness';

const CALLBACK_SECRET = 'e2e-callback-secret-5a6b7c8d';
const NAMES = ['', 'queued', 'playing', 'failed', 'finished'];

const signed = (fields: Record<string, unknown>, opts: { secret?: string; timestamp?: string; nonce?: string } = {}) =>
  signedCallback(opts.secret ?? CALLBACK_SECRET, fields, opts);

const driveEvent = (taskId: string, driveId: string, status: number, eventTime = Date.now()) =>
  signed({ EventType: 4, EventTime: eventTime, TaskId: taskId, Detail: { DriveId: driveId, Status: status } });

describe('callbacks: pushed drive and task statuses', () => {
  let h: Harness;
  beforeAll(async () => {
    // Polling off: whatever is recorded here came through the callback route.
    h = await startHarness({
      env: {
        SYNC_ENABLED: 'false',
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        API_KEYS: 'a-key-for-the-other-routes-0001',
      },
    });
  });
  afterAll(() => h.close());
  const auth = { authorization: 'Bearer a-key-for-the-other-routes-0001' };
  const post = (body: unknown) => h.request('POST', '/callbacks/zego', { body });

  it('records a drive first seen by callback, with its EventTime, and tracks its task (no API key needed)', async () => {
    const at = Date.now() - 1500;
    const res = await post(driveEvent('cb-task-1', 'cb-drive-1', 2, at));
    expect(res.status).toBe(200);
    const task = (await h.request('GET', '/tasks/cb-task-1', { headers: auth })).body;
    expect(task).toMatchObject({ tracking: true, source: 'callback', counts: { playing: 1, total: 1 } });
    const drive = (await h.request('GET', '/tasks/cb-task-1/drives/cb-drive-1', { headers: auth })).body;
    expect(drive.history).toEqual([
      {
        status: 'playing',
        statusCode: 2,
        previousStatus: null,
        observedAt: new Date(at).toISOString(),
        source: 'callback',
      },
    ]);
  });

  it('records the same event delivered twice once', async () => {
    const event = driveEvent('cb-task-2', 'cb-drive-2', 1);
    expect((await post(event)).status).toBe(200);
    expect((await post(event)).status).toBe(200);
    expect((await post(driveEvent('cb-task-2', 'cb-drive-2', 1))).status).toBe(200);
    const drive = (await h.request('GET', '/tasks/cb-task-2/drives/cb-drive-2', { headers: auth })).body;
    expect(drive.history).toHaveLength(1);
  });

  it('ends in finished when finished arrives before playing, without a regression', async () => {
    const t0 = Date.now() - 5000;
    await post(driveEvent('cb-task-3', 'cb-drive-3', 4, t0 + 2000));
    await post(driveEvent('cb-task-3', 'cb-drive-3', 2, t0 + 1000));
    await post(driveEvent('cb-task-3', 'cb-drive-3', 1, t0));
    const drive = (await h.request('GET', '/tasks/cb-task-3/drives/cb-drive-3', { headers: auth })).body;
    expect(drive.status).toBe('finished');
    expect(drive.history.map((e: { status: string }) => e.status)).toEqual(['finished']);
    const task = (await h.request('GET', '/tasks/cb-task-3', { headers: auth })).body;
    expect(task.counts).toMatchObject({ queued: 0, playing: 0, finished: 1, total: 1 });
  });

  it('records a stream task status (confirmed with the upstream) and never moves it back', async () => {
    const { taskId } = h.simulator.engine.createTask({ RoomId: 'room-4', StreamId: 'stream-4' });
    await eventually(() => h.simulator.engine.findTask(taskId).status === 3);
    const first = await post(
      signed({
        EventType: 3,
        EventTime: Date.now(),
        TaskId: taskId,
        Detail: { Status: 3, RoomId: 'room-4', StreamId: 'stream-4' },
      }),
    );
    expect(first.body).toEqual({ received: true, outcome: 'recorded' });
    await post(signed({ EventType: 3, EventTime: Date.now(), TaskId: taskId, Detail: { Status: 1 } }));
    const task = (await h.request('GET', `/tasks/${taskId}`, { headers: auth })).body;
    expect(task).toMatchObject({
      taskStatus: 'publishing',
      roomId: 'room-4',
      streamId: 'stream-4',
      source: 'callback',
    });
  });

  it.each([
    ['a missing signature', () => ({ ...driveEvent('x', 'y', 1), Signature: undefined }), 401],
    ['a bad signature', () => ({ ...driveEvent('x', 'y', 1), Signature: '0'.repeat(40) }), 401],
    [
      'a signature made with another secret',
      () =>
        signed({ EventType: 4, TaskId: 'x', Detail: { DriveId: 'y', Status: 1 } }, { secret: 'not-the-secret-000' }),
      401,
    ],
    [
      'a stale timestamp (seconds)',
      () =>
        signed(
          { EventType: 4, TaskId: 'x', Detail: { DriveId: 'y', Status: 1 } },
          { timestamp: String(Math.floor(Date.now() / 1000) - 11 * 60) },
        ),
      401,
    ],
    [
      'a stale timestamp (milliseconds)',
      () =>
        signed(
          { EventType: 4, TaskId: 'x', Detail: { DriveId: 'y', Status: 1 } },
          { timestamp: String(Date.now() - 11 * 60_000) },
        ),
      401,
    ],
    ['another AppId', () => ({ ...driveEvent('x', 'y', 1), AppId: 99 }), 403],
    ['a malformed event', () => signed({ EventType: 4, TaskId: 'x', Detail: { DriveId: 'y', Status: 'done' } }), 400],
    ['a body that is not an object', () => [1, 2, 3], 400],
  ])('refuses %s and writes nothing', async (_name, make, status) => {
    const res = await post(make());
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    expect((await h.request('GET', '/tasks/x', { headers: auth })).status).toBe(404);
  });

  it('accepts a timestamp in milliseconds', async () => {
    const res = await post(
      signed(
        { EventType: 4, TaskId: 'cb-task-5', Detail: { DriveId: 'd', Status: 1 } },
        { timestamp: String(Date.now()) },
      ),
    );
    expect(res.status).toBe(200);
  });

  it('never logs either secret', () => {
    for (const line of h.logs.lines) {
      expect(line).not.toContain(CALLBACK_SECRET);
      expect(line).not.toContain(TEST_SERVER_SECRET);
    }
  });
});

describe('callbacks disabled', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ env: { SYNC_ENABLED: 'false' } })));
  afterAll(() => h.close());

  it('answers 404 when ZEGO_CALLBACK_SECRET is not set', async () => {
    expect((await h.request('POST', '/callbacks/zego', { body: driveEvent('t', 'd', 1) })).status).toBe(404);
  });
});

describe('callbacks and polling together, through the simulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ZEGO_CALLBACK_SECRET: CALLBACK_SECRET } });
    // Every event twice, in a shuffled order: the service must still end up exactly right.
    h.simulator.sendCallbacksTo({
      url: `${h.baseUrl}/callbacks/zego`,
      secret: CALLBACK_SECRET,
      duplicateRate: 1,
      reorderMaxDelayMs: 300,
      retryDelaysMs: [100, 200],
    });
  });
  afterAll(() => h.close());

  it('converges on the simulator’s truth with one history entry per real change', async () => {
    const sim = h.simulator.engine;
    const tasks = [sim.createTask(), sim.createTask()];
    await new Promise((r) => setTimeout(r, 100));
    for (const t of tasks) for (let i = 0; i < 5; i++) sim.drive(t.taskId, 'text');
    await eventually(async () => {
      for (const t of tasks) {
        const c = (await h.request('GET', `/tasks/${t.taskId}`)).body?.counts;
        if (process.env.DEBUG_COUNTS)
          console.log(
            JSON.stringify(c),
            JSON.stringify(
              await h.db.query('SELECT status, count(*) FROM drive WHERE task_id = $1 GROUP BY 1', [t.taskId]),
            ),
          );
        if (!c || c.total !== 5 || c.failed + c.finished !== 5) return false;
      }
      return true;
    }, 30_000);
    await h.simulator.flushCallbacks();
    for (const t of tasks) {
      const task = (await h.request('GET', `/tasks/${t.taskId}`)).body;
      expect(task.source).toBe('callback');
      for (const d of sim.findTask(t.taskId).drives) {
        const drive = (await h.request('GET', `/tasks/${t.taskId}/drives/${d.driveId}`)).body;
        expect(drive.status).toBe(NAMES[d.status]);
        const steps = drive.history.map((e: { statusCode: number }) => e.statusCode);
        // Strictly forward, no repeats, ending where the simulator ended.
        for (let i = 1; i < steps.length; i++) expect(Math.min(steps[i], 3)).toBeGreaterThan(Math.min(steps[i - 1], 3));
        expect(steps[steps.length - 1]).toBe(d.status);
      }
    }
    const [{ n }] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT drive_row_id, status FROM drive_history GROUP BY 1, 2 HAVING count(*) > 1) dup`,
    );
    expect(n).toBe(0);
    expect(h.simulator.stats.callbacks.dropped).toBe(0);
  });

  it('polls a stopped task once more, then stops polling it', async () => {
    const sim = h.simulator.engine;
    const task = sim.createTask();
    await new Promise((r) => setTimeout(r, 100));
    const drive = sim.drive(task.taskId, 'text');
    await eventually(
      async () => (await h.request('GET', `/tasks/${task.taskId}/drives/${drive.driveId}`)).status === 200,
    );
    sim.stop(task.taskId);
    const ended = await eventually(async () => {
      const body = (await h.request('GET', `/tasks/${task.taskId}`)).body;
      return body.endedAt ? body : undefined;
    });
    expect(ended.taskStatus).toBe('stopped');
    // The last poll saw the drive's final status: failed if the stop interrupted it, finished if it
    // had already played out (the drive is short; which one happens is a race, the record is not).
    expect([3, 4]).toContain(drive.status);
    expect((await h.request('GET', `/tasks/${task.taskId}/drives/${drive.driveId}`)).body.status).toBe(
      NAMES[drive.status],
    );
    const polls = h.simulator.stats.byAction.GetDriveStatus;
    await new Promise((r) => setTimeout(r, 800));
    const [{ lastSynced }] = await h.db.query<{ lastSynced: Date }>(
      'SELECT last_synced_at AS "lastSynced" FROM task WHERE task_id = $1',
      [task.taskId],
    );
    await new Promise((r) => setTimeout(r, 800));
    const [{ lastSynced: again }] = await h.db.query<{ lastSynced: Date }>(
      'SELECT last_synced_at AS "lastSynced" FROM task WHERE task_id = $1',
      [task.taskId],
    );
    expect(again).toEqual(lastSynced);
    expect(polls).toBeGreaterThan(0);
  });
});

describe('discovery', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ env: { DISCOVERY_INTERVAL_S: '1' } })));
  afterAll(() => h.close());

  it('tracks a task created in the simulator without anyone registering it', async () => {
    const created = h.simulator.engine.createTask({ RoomId: 'disc-room', StreamId: 'disc-stream' });
    const task = await eventually(async () => {
      const res = await h.request('GET', `/tasks/${created.taskId}`);
      return res.status === 200 && res.body.taskStatus === 'publishing' ? res.body : undefined;
    });
    expect(task).toMatchObject({ source: 'discovery', tracking: true, roomId: 'disc-room', streamId: 'disc-stream' });
    expect(Date.parse(task.upstreamCreatedAt)).toBe(Math.floor(created.createdAt / 1000) * 1000);
    const drive = h.simulator.engine.drive(created.taskId, 'text');
    await eventually(
      async () => (await h.request('GET', `/tasks/${created.taskId}/drives/${drive.driveId}`)).status === 200,
    );
  });

  it('notices a tracked task that stopped without telling anyone', async () => {
    const created = h.simulator.engine.createTask();
    await eventually(async () => (await h.request('GET', `/tasks/${created.taskId}`)).status === 200);
    h.simulator.engine.stop(created.taskId);
    const task = await eventually(async () => {
      const body = (await h.request('GET', `/tasks/${created.taskId}`)).body;
      return body.endedAt ? body : undefined;
    });
    expect(task.taskStatus).toBe('stopped');
  });
});
