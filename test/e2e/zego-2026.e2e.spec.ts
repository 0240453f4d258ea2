import { DemoRelay } from '../../src/demo/demo.relay';
import { UnresolvedSweeper } from '../../src/sync/unresolved-sweeper.service';
import { driveCallback } from '../support/callbacks';
import { eventually, Harness, startHarness } from '../support/harness';

/** ZEGO as documented in late 2026: drive statuses relayed from the app's clients, queries that never say stopped. */
jest.setTimeout(90_000);
const CALLBACK_SECRET = 'zego-2026-callback-secret-5e6f';
const msg = (Status: number, DriveId: string) => ({ Product: 'digitalhuman', Cmd: 1001, Data: { Status, DriveId } });

describe('client relay: POST /tasks/:taskId/client-messages', () => {
  let h: Harness;
  let taskId: string;
  const relay = (body: unknown, task = taskId) => h.request('POST', `/tasks/${task}/client-messages`, { body });
  const drive = async (driveId: string) => (await h.request('GET', `/tasks/${taskId}/drives/${driveId}`)).body;

  beforeAll(async () => {
    h = await startHarness({
      // No GetDriveStatus and no callbacks from the simulator: what is recorded came from the relay.
      env: { DRIVE_STATUS_SOURCE: 'callbacks', ZEGO_CALLBACK_SECRET: CALLBACK_SECRET },
      simulator: { failureRate: 0, initDelayMs: 0, driveDurationMs: [100, 200] },
    });
    taskId = h.simulator.engine.createTask().taskId;
  });
  afterAll(() => h.close());

  it('records the room messages the simulator hands the room, relayed as the SDK delivered them', async () => {
    const answers: Array<Promise<{ status: number; body: any }>> = [];
    h.simulator.room.listeners.push((m) => {
      if (m.taskId === taskId) answers.push(relay({ messages: [m.text], receivedAt: m.at }));
    });
    const played = h.simulator.engine.drive(taskId, 'text');
    await eventually(() => played.status === 4 && answers.length === 2);
    const results = await Promise.all(answers);
    expect(results.map((r) => [r.status, r.body.results[0].outcome])).toEqual([
      [200, 'recorded'],
      [200, 'recorded'],
    ]);
    const recorded = await drive(played.driveId);
    expect(recorded.status).toBe('finished');
    expect(recorded.history.map((e: any) => [e.status, e.source])).toEqual([
      ['playing', 'client'],
      ['finished', 'client'],
    ]);
    expect(recorded.playingAt).not.toBeNull();
    expect(recorded.playMs).toBeGreaterThanOrEqual(0);
    expect((await h.request('GET', `/tasks/${taskId}`)).body).toMatchObject({ source: 'client', tracking: true });
  });

  it('takes an array in order, answers per message, and treats a repeat as a duplicate', async () => {
    const res = await relay({
      messages: [msg(2, 'relay-d3'), { Product: 'im', Cmd: 7, Data: {} }, JSON.stringify(msg(4, 'relay-d3'))],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ recorded: 2, duplicate: 0, ignored: 1 });
    expect(res.body.results.map((r: any) => r.outcome)).toEqual(['recorded', 'ignored', 'recorded']);
    expect((await drive('relay-d3')).history.map((e: any) => e.status)).toEqual(['playing', 'finished']);

    const again = await relay({ messages: [msg(4, 'relay-d3'), msg(2, 'relay-d3')] });
    expect(again.body).toMatchObject({ recorded: 0, duplicate: 2 });
    expect((await drive('relay-d3')).history).toHaveLength(2);
    expect((await h.request('GET', '/metrics')).body).toMatch(
      /^drive_status_client_messages_total\{outcome="ignored"\} 1$/m,
    );
  });

  it('never moves a terminal status: finished after a callback said failed changes nothing', async () => {
    const cb = await h.request('POST', '/callbacks/zego', {
      body: driveCallback(CALLBACK_SECRET, taskId, 'relay-d2', 3),
    });
    expect(cb.body.outcome).toBe('recorded');
    const res = await relay({ messages: [msg(4, 'relay-d2')] });
    expect(res.body.results).toEqual([{ outcome: 'duplicate', driveId: 'relay-d2', status: 'finished' }]);
    const recorded = await drive('relay-d2');
    expect(recorded.status).toBe('failed');
    expect(recorded.history.map((e: any) => e.source)).toEqual(['callback']);
  });

  it('refuses a malformed message with a 400 naming it, and writes none of the request', async () => {
    const res = await relay({ messages: [msg(2, 'relay-d4'), msg(2, 'not a drive id')] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('messages[1].Data.DriveId');
    expect((await h.request('GET', `/tasks/${taskId}/drives/relay-d4`)).status).toBe(404);
    const bad = await Promise.all([
      relay({ messages: Array.from({ length: 101 }, () => msg(2, 'relay-d4')) }),
      relay({ messages: [] }),
      relay({ messages: ['{"Product":'] }),
      relay({ messages: [msg(2, 'relay-d4')] }, 'bad task id'),
      relay({ messages: [msg(2, 'relay-d4')], receivedAt: 'yesterday' }),
    ]);
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    expect(bad.map((r) => r.body.message).join(' | ')).toMatch(
      /at most 100.*at least one.*messages\[0\].*taskId.*receivedAt/,
    );
    expect((await h.request('GET', `/tasks/${taskId}/drives/relay-d4`)).status).toBe(404);
  });

  it('believes receivedAt within a callback EventTime’s bounds, else records the arrival time', async () => {
    const sent = Date.now();
    const believed = new Date(sent - 5000).toISOString();
    expect((await relay({ messages: [msg(2, 'relay-d5')], receivedAt: believed })).body.observedAt).toBe(believed);
    const stale = await relay({ messages: [msg(4, 'relay-d5')], receivedAt: sent - 2 * 86_400_000 });
    expect(Date.parse(stale.body.observedAt)).toBeGreaterThanOrEqual(sent);
  });

  it('says how many drive ends came from each source in a period', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await h.request('GET', `/reports/sources?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.body.sources.map((s: any) => [s.source, [s.failed, s.finished]]));
    // finished by relay: the simulator's drive, relay-d3, relay-d5; failed by callback: relay-d2.
    expect(by).toEqual({ callback: [1, 0], poll: [0, 0], client: [0, 3], producer: [0, 0] });
    expect(res.body).toMatchObject({ ends: 4, unresolved: 0 });
    const tooLong = await h.request('GET', `/reports/sources?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
  });
});

describe('demo mode’s relay', () => {
  let h: Harness;
  beforeAll(
    async () =>
      (h = await startHarness({
        env: { DRIVE_STATUS_SOURCE: 'callbacks' },
        simulator: { failureRate: 0, initDelayMs: 0, driveDurationMs: [100, 200] },
      })),
  );
  afterAll(() => h.close());

  it('relays the simulator’s room messages to the service over HTTP', async () => {
    const relay = new DemoRelay(h.simulator.room, h.baseUrl, undefined);
    relay.start();
    const { taskId } = h.simulator.engine.createTask();
    const d = h.simulator.engine.drive(taskId, 'text');
    const recorded = await eventually(async () => {
      const body = (await h.request('GET', `/tasks/${taskId}/drives/${d.driveId}`)).body;
      return body?.status === 'finished' ? body : undefined;
    });
    await relay.stop();
    expect(recorded.history.map((e: any) => [e.status, e.source])).toEqual([
      ['playing', 'client'],
      ['finished', 'client'],
    ]);
  });
});

describe.each(['poll', 'callbacks'])('a task whose status query answers 400000005 while drives run (%s)', (mode) => {
  let h: Harness;
  beforeAll(
    async () =>
      (h = await startHarness({
        env: { DRIVE_STATUS_SOURCE: mode, DISCOVERY_INTERVAL_S: '1' },
        simulator: { failureRate: 0, initDelayMs: 0, driveDurationMs: [60_000, 60_000] },
      })),
  );
  afterAll(() => h.close());

  it('ends the task as stopped and marks its running drives unresolved', async () => {
    const sim = h.simulator.engine;
    const { taskId } = sim.createTask();
    await h.request('PUT', `/tasks/${taskId}`);
    const playing = sim.drive(taskId, 'text');
    const queued = sim.drive(taskId, 'audio');
    if (mode === 'callbacks') {
      // No GetDriveStatus: the producer registers both, a client relays that the first started.
      for (const d of [playing, queued])
        await h.request('POST', `/tasks/${taskId}/drives`, { body: { driveId: d.driveId } });
      await h.request('POST', `/tasks/${taskId}/client-messages`, { body: { messages: [msg(2, playing.driveId)] } });
    }
    const status = async (driveId: string) => (await h.request('GET', `/tasks/${taskId}/drives/${driveId}`)).body;
    await eventually(
      async () =>
        (await status(playing.driveId)).status === 'playing' && (await status(queued.driveId)).status === 'queued',
    );

    // Seen running first (discovery, or on callbacks the task's own status check).
    await eventually(async () => (await h.request('GET', `/tasks/${taskId}`)).body.taskStatus === 'publishing');
    sim.forgetTask(taskId);
    const ended = await eventually(async () => {
      const task = (await h.request('GET', `/tasks/${taskId}`)).body;
      return task.endedAt ? task : undefined;
    });
    expect(ended.taskStatus).toBe('stopped');
    await h.app.get(UnresolvedSweeper).sweep();
    for (const [d, name] of [
      [playing, 'playing'],
      [queued, 'queued'],
    ] as const) {
      expect(await status(d.driveId)).toMatchObject({ status: name, resolution: 'unresolved' });
    }
    expect((await h.request('GET', `/tasks/${taskId}`)).body.counts.unresolved).toBe(2);
  });
});
