import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SimulatorOptions, ZegoSimulator } from '../../src/simulator/simulator.server';
import { signRequest } from '../../src/zego/zego-signature';

/** The simulator follows ZEGO's docs as of late 2026 by default; the older behaviour stays behind options. */
const APP_ID = '1234567890';
const SECRET = 'sim-2026-secret-0123456789abcdef';

describe('the simulator, as ZEGO documents it in 2026', () => {
  const sims: ZegoSimulator[] = [];
  const start = async (options: Partial<SimulatorOptions> = {}) => {
    const sim = new ZegoSimulator({
      appId: APP_ID,
      serverSecret: SECRET,
      initDelayMs: 0,
      failureRate: 0,
      stopDelayMs: 0,
      driveDurationMs: [50, 50],
      ...options,
    });
    await sim.listen(0);
    sims.push(sim);
    return sim;
  };
  afterAll(async () => {
    for (const sim of sims) await sim.close();
  });

  const raw = async (sim: ZegoSimulator, action: string, body: unknown) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = 'fedcba9876543210';
    const params = new URLSearchParams({
      Action: action,
      AppId: APP_ID,
      SignatureNonce: nonce,
      Timestamp: ts,
      SignatureVersion: '2.0',
      Signature: signRequest(APP_ID, nonce, SECRET, Number(ts)),
    });
    const res = await fetch(`${sim.url}/?${params}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as { Code: number; Data?: any };
  };

  it('answers a stopped task’s status query with 400000005, or with status 5 behind queriesReportStopped', async () => {
    for (const [queriesReportStopped, expected] of [
      [false, { Code: 400000005 }],
      [true, { Code: 0, Data: expect.objectContaining({ Status: 5 }) }],
    ] as const) {
      const sim = await start({ queriesReportStopped, stopDelayMs: 200 });
      const { taskId } = sim.engine.createTask();
      sim.engine.stop(taskId);
      // While the stop takes effect the task is stopping; then the 2026 upstream no longer knows it.
      expect((await raw(sim, 'GetDigitalHumanStreamTaskStatus', { TaskId: taskId })).Data.Status).toBe(4);
      await new Promise((r) => setTimeout(r, 300));
      expect(await raw(sim, 'GetDigitalHumanStreamTaskStatus', { TaskId: taskId })).toMatchObject(expected);
      // The drives' own records are kept a while longer either way.
      expect((await raw(sim, 'GetDriveStatus', { TaskId: taskId })).Code).toBe(0);
    }
  });

  it('signs callbacks with a Timestamp in milliseconds, or in seconds behind a switch', async () => {
    const bodies: Array<{ Timestamp: string }> = [];
    const receiver: Server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as { Timestamp: string });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    try {
      const sim = await start();
      sim.sendCallbacksTo({ url, secret: 's' });
      sim.engine.createTask();
      await sim.flushCallbacks();
      sim.sendCallbacksTo({ url, secret: 's', timestampUnit: 's' });
      sim.engine.createTask();
      await sim.flushCallbacks();
    } finally {
      receiver.close();
    }
    expect(bodies.map((b) => b.Timestamp.length)).toEqual([13, 10]);
  });

  it('ends a task after MaxIdleTime without a drive, never while one plays', async () => {
    const sim = await start({ driveDurationMs: [400, 400] });
    const busy = sim.engine.createTask({ MaxIdleTime: 0.2 });
    sim.engine.drive(busy.taskId, 'audio');
    const idle = sim.engine.createTask({ MaxIdleTime: 0.2 });
    await new Promise((r) => setTimeout(r, 300));
    sim.engine.advance();
    expect([busy.status, idle.status]).toEqual([3, 5]);
    await new Promise((r) => setTimeout(r, 450));
    sim.engine.advance();
    expect(busy.status).toBe(5);
  });

  it('InterruptDriveTask cuts the playing drive and discards the queued ones without an event', async () => {
    const sim = await start({ driveDurationMs: [10_000, 10_000] });
    const { taskId } = sim.engine.createTask();
    const playing = sim.engine.drive(taskId, 'text');
    const queued = [sim.engine.drive(taskId, 'text'), sim.engine.drive(taskId, 'audio')];
    const events: Array<{ driveId: string; status: number }> = [];
    sim.engine.listeners.push((e) => e.type === 4 && events.push({ driveId: e.driveId, status: e.status }));
    expect((await raw(sim, 'InterruptDriveTask', { TaskId: taskId })).Code).toBe(0);
    expect(events).toEqual([{ driveId: playing.driveId, status: 3 }]);
    expect(queued.map((d) => d.status)).toEqual([3, 3]);
    expect(sim.engine.discarded.map((d) => d.driveId)).toEqual(queued.map((d) => d.driveId));

    const announcing = await start({ driveDurationMs: [10_000, 10_000], announceDiscardedDrives: true });
    const t2 = announcing.engine.createTask().taskId;
    announcing.engine.drive(t2, 'text');
    announcing.engine.drive(t2, 'text');
    const announced: number[] = [];
    announcing.engine.listeners.push((e) => e.type === 4 && announced.push(e.status));
    announcing.engine.interrupt(t2);
    expect(announced).toEqual([3, 3]);
  });

  it('hands the room a Cmd 1001 message when a drive starts and finishes speaking', async () => {
    const sim = await start();
    const { taskId, roomId } = sim.engine.createTask({ RoomId: 'room-2026' });
    const d = sim.engine.drive(taskId, 'text');
    await new Promise((r) => setTimeout(r, 150));
    sim.engine.advance();
    const res = await fetch(`${sim.url}/_sim/rooms/messages?after=0`);
    const { messages } = (await res.json()) as { messages: Array<{ roomId: string; text: string }> };
    expect(messages.map((m) => [m.roomId, JSON.parse(m.text)])).toEqual([
      [roomId, { Product: 'digitalhuman', Cmd: 1001, Data: { Status: 2, DriveId: d.driveId } }],
      [roomId, { Product: 'digitalhuman', Cmd: 1001, Data: { Status: 4, DriveId: d.driveId } }],
    ]);
  });
});
