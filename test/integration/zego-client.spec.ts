import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import axios from 'axios';
import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { signRequest } from '../../src/zego/zego-signature';
import { ZegoClient } from '../../src/zego/zego.client';
import { ZegoError } from '../../src/zego/zego.errors';

const APP_ID = '1234567890';
const SECRET = 'client-test-secret-0123456789abcdef';

// The client's retry warnings are expected here; keep the test output readable.
beforeAll(() => Logger.overrideLogger(false));

describe('ZegoClient against the simulator over HTTP', () => {
  let sim: ZegoSimulator;
  // Set to stop the simulator's clock (drives last 100 ms, and a loaded machine can take longer than that
  // between a test's set-up and the client's read).
  let frozenAt: number | undefined;
  const clients: ZegoClient[] = [];
  const client = (
    overrides: Partial<{ serverSecret: string; rateLimit: number; timeoutMs: number; appId: string }> = {},
  ) => {
    const c = new ZegoClient(new HttpService(axios.create()), {
      baseUrl: sim.url,
      appId: APP_ID,
      serverSecret: SECRET,
      rateLimit: 10,
      timeoutMs: 1000,
      ...overrides,
    });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    sim = new ZegoSimulator({
      appId: APP_ID,
      serverSecret: SECRET,
      rateLimit: 10,
      initDelayMs: 0,
      driveDurationMs: [100, 100],
      failureRate: 0,
      now: () => frozenAt ?? Date.now(),
    });
    await sim.listen(0);
  });
  afterEach(async () => {
    frozenAt = undefined;
    for (const c of clients.splice(0)) await c.onModuleDestroy();
    await sim.close();
  });

  it('reads every drive of a task', async () => {
    frozenAt = Date.now();
    const task = sim.engine.createTask();
    const a = sim.engine.drive(task.taskId, 'text');
    const b = sim.engine.drive(task.taskId, 'audio');
    const drives = await client().getDriveStatus(task.taskId);
    expect(drives).toEqual([
      { driveId: a.driveId, status: 2 },
      { driveId: b.driveId, status: 1 },
    ]);
  });

  it('reports a wrong secret as a configuration error and does not retry it', async () => {
    const task = sim.engine.createTask();
    const err = await client({ serverSecret: 'wrong-secret-0123456789abcdef' })
      .getDriveStatus(task.taskId)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZegoError);
    expect(err).toMatchObject({ code: 100000005, kind: 'configuration', retryable: false });
    expect(sim.stats.byCode['100000005']).toBe(1);
    expect(err.message).not.toContain('wrong-secret');
  });

  it('maps an unknown task to not_found', async () => {
    await expect(client().getDriveStatus('no-such-task')).rejects.toMatchObject({ code: 400000005, kind: 'not_found' });
  });

  it.each([
    ['HTTP 502', { httpStatus: 502 }],
    ['a non-JSON body', { nonJson: true }],
    ['system busy', { code: 400010002 }],
    ['an answer slower than the time-out', { delayMs: 1500 }],
  ])('retries %s and then succeeds', async (_name, fault) => {
    const task = sim.engine.createTask();
    sim.injectFault({ ...fault, times: 2, actions: ['GetDriveStatus'] });
    await expect(client().getDriveStatus(task.taskId)).resolves.toEqual([]);
    expect(sim.stats.byAction.GetDriveStatus).toBe(3);
  });

  it('gives up after three attempts on a persistent transient failure', async () => {
    const task = sim.engine.createTask();
    sim.injectFault({ code: 400010000, actions: ['GetDriveStatus'] });
    await expect(client().getDriveStatus(task.taskId)).rejects.toMatchObject({ code: 400010000, kind: 'transient' });
    expect(sim.stats.byAction.GetDriveStatus).toBe(3);
  });

  it('does not retry an invalid parameter', async () => {
    sim.injectFault({ code: 400000001, actions: ['GetDriveStatus'] });
    await expect(client().getDriveStatus('x')).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(sim.stats.byAction.GetDriveStatus).toBe(1);
  });

  it('never exceeds the rate limit in any one-second window, retries included', async () => {
    const task = sim.engine.createTask();
    const c = client();
    // A few transient failures mixed in: their retries must wait in the same limiter.
    sim.injectFault({ code: 400010000, times: 5, actions: ['GetDriveStatus'] });
    const started = Date.now();
    await Promise.all(Array.from({ length: 25 }, () => c.getDriveStatus(task.taskId)));
    expect(sim.stats.rateLimited).toBe(0);
    const arrivals = sim.stats.arrivals;
    for (let i = 10; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 10]).toBeGreaterThan(1000);
    expect(arrivals).toHaveLength(30);
    expect(Date.now() - started).toBeGreaterThan(2000);
  });
});

describe('the simulator itself', () => {
  let sim: ZegoSimulator;
  beforeEach(async () => {
    sim = new ZegoSimulator({
      appId: APP_ID,
      serverSecret: SECRET,
      rateLimit: 10,
      initDelayMs: 0,
      driveDurationMs: [100, 100],
      failureRate: 0,
      stopDelayMs: 0,
      endedRetentionMs: 200,
    });
    await sim.listen(0);
  });
  afterEach(() => sim.close());

  const raw = async (action: string, body: unknown, q: Partial<Record<string, string>> = {}) => {
    const ts = q.Timestamp ?? String(Math.floor(Date.now() / 1000));
    const nonce = '0123456789abcdef';
    const params = new URLSearchParams({
      Action: action,
      AppId: APP_ID,
      SignatureNonce: nonce,
      Timestamp: ts,
      SignatureVersion: '2.0',
      Signature: signRequest(APP_ID, nonce, SECRET, Number(ts)),
      ...q,
    });
    const res = await fetch(`${sim.url}/?${params}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as { Code: number; Data?: any };
  };

  it('rejects a bad signature with 100000005 and a stale timestamp with 100000004', async () => {
    expect((await raw('QueryDigitalHumanStreamTasks', {}, { Signature: '0'.repeat(32) })).Code).toBe(100000005);
    const stale = String(Math.floor(Date.now() / 1000) - 601);
    expect((await raw('QueryDigitalHumanStreamTasks', {}, { Timestamp: stale })).Code).toBe(100000004);
    expect((await raw('QueryDigitalHumanStreamTasks', {})).Code).toBe(0);
  });

  it('refuses the eleventh call within a second with 400010009', async () => {
    const codes = await Promise.all(Array.from({ length: 12 }, () => raw('QueryDigitalHumanStreamTasks', {})));
    expect(codes.filter((r) => r.Code === 400010009)).toHaveLength(2);
  });

  it('creates tasks, plays one drive at a time, and ends a stopped task', async () => {
    const created = await raw('CreateDigitalHumanStreamTask', { RoomId: 'r1' });
    const taskId = created.Data.TaskId as string;
    const d1 = (await raw('DriveByText', { TaskId: taskId, Text: 'hello' })).Data.DriveId;
    const d2 = (await raw('DriveByAudio', { TaskId: taskId, AudioUrl: 'https://example.invalid/a.wav' })).Data.DriveId;
    let list = (await raw('GetDriveStatus', { TaskId: taskId })).Data.DriveList;
    expect(list).toEqual([
      { DriveId: d1, Status: 2 },
      { DriveId: d2, Status: 1 },
    ]);
    await new Promise((r) => setTimeout(r, 450));
    list = (await raw('GetDriveStatus', { TaskId: taskId })).Data.DriveList;
    expect(list.map((d: { Status: number }) => d.Status)).toEqual([4, 4]);
    expect(
      (await raw('QueryDigitalHumanStreamTasks', {})).Data.TaskList.map((t: { TaskId: string }) => t.TaskId),
    ).toEqual([taskId]);
    expect((await raw('StopDigitalHumanStreamTask', { TaskId: taskId })).Code).toBe(0);
    // ZEGO's 2026 docs: a query never says "stopped"; an ended task is not found.
    expect((await raw('GetDigitalHumanStreamTaskStatus', { TaskId: taskId })).Code).toBe(400000005);
    expect((await raw('QueryDigitalHumanStreamTasks', {})).Data.TaskList).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await raw('GetDriveStatus', { TaskId: taskId })).Code).toBe(400000005);
  });

  it('fails the playing and queued drives on an interrupting drive', () => {
    const task = sim.engine.createTask();
    const a = sim.engine.drive(task.taskId, 'text');
    const b = sim.engine.drive(task.taskId, 'text');
    const c = sim.engine.drive(task.taskId, 'text', true);
    expect([a.status, b.status, c.status]).toEqual([3, 3, 2]);
  });

  it('ends a task after its idle time', async () => {
    const task = sim.engine.createTask({ MaxIdleTime: 0.2 });
    await new Promise((r) => setTimeout(r, 300));
    sim.engine.advance();
    expect(task.status).toBe(5);
  });

  it('fails drives at the configured rate', () => {
    const failing = new ZegoSimulator({ appId: APP_ID, serverSecret: SECRET, failureRate: 1, initDelayMs: 0 });
    const task = failing.engine.createTask();
    expect(failing.engine.drive(task.taskId, 'text').willFail).toBe(true);
  });
});
