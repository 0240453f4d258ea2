import { ReceiptsCleanupService } from '../../src/callbacks/receipts-cleanup.service';
import { driveCallback, signedCallback, taskCallback } from '../support/callbacks';
import { eventually, Harness, startHarness } from '../support/harness';

/**
 * Callbacks from someone who has seen genuine ones, or from an upstream with a broken clock: the
 * record must stay exact. ZEGO's signature covers only the secret, Timestamp and Nonce.
 */
const CALLBACK_SECRET = 'trust-callback-secret-9f8e7d6c';
const KEY = 'trust-api-key-000000000001';
const auth = { authorization: `Bearer ${KEY}` };

const signed = (fields: Record<string, unknown>, timestamp?: string, nonce?: string) =>
  signedCallback(CALLBACK_SECRET, fields, { timestamp, nonce });
const driveEvent = (taskId: string, driveId: string, status: number, eventTime: unknown = Date.now()) =>
  driveCallback(CALLBACK_SECRET, taskId, driveId, status, eventTime);
const taskEvent = (taskId: string, status: number) => taskCallback(CALLBACK_SECRET, taskId, status);

describe('callbacks cannot be turned against the record', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { SYNC_ENABLED: 'false', ZEGO_CALLBACK_SECRET: CALLBACK_SECRET, API_KEYS: KEY },
    });
  });
  afterAll(() => h.close());
  const post = (body: unknown) => h.request('POST', '/callbacks/zego', { body });
  const get = (path: string) => h.request('GET', path, { headers: auth });
  async function reusedCount(): Promise<number> {
    const text = (await h.request('GET', '/metrics', { headers: auth })).body as string;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('drive_status_callbacks_total{result="rejected",reason="reused"}'));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  it('refuses a captured signature with another body (401, counted) and writes nothing', async () => {
    const genuine = driveEvent('trust-task-1', 'trust-drive-1', 2);
    expect((await post(genuine)).body).toEqual({ received: true, outcome: 'recorded' });
    const before = await reusedCount();

    const forgeries = [
      { ...genuine, Detail: { DriveId: 'trust-drive-1', Status: 3 } }, // force a terminal failure
      { ...genuine, TaskId: 'trust-task-invented' }, // create a task that consumes the upstream budget
      { ...genuine, EventType: 3, Detail: { Status: 5 } }, // stop a live task's polling
      { ...genuine, Detail: { DriveId: 'trust-drive-2', Status: 3 } }, // inflate the failure count
    ];
    for (const forged of forgeries) {
      const res = await post(forged);
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/already used with another body/);
    }
    expect(await reusedCount()).toBe(before + forgeries.length);

    const drive = (await get('/tasks/trust-task-1/drives/trust-drive-1')).body;
    expect(drive).toMatchObject({ status: 'playing' });
    expect(drive.history).toHaveLength(1);
    expect((await get('/tasks/trust-task-1')).body.counts).toMatchObject({ playing: 1, failed: 0, total: 1 });
    expect((await get('/tasks/trust-task-invented')).status).toBe(404);

    // The genuine callback again (ZEGO's retry): acknowledged, no second effect.
    expect((await post(genuine)).body).toEqual({ received: true, outcome: 'duplicate' });
    expect((await get('/tasks/trust-task-1/drives/trust-drive-1')).body.history).toHaveLength(1);
  });

  it('applies one of many different bodies sent at once under one signature, and refuses the rest', async () => {
    const base = driveEvent('trust-task-2', 'trust-drive-race-0', 1);
    const bodies = Array.from({ length: 12 }, (_, i) => ({
      ...base,
      Detail: { DriveId: `trust-drive-race-${i}`, Status: 3 },
    }));
    const answers = await Promise.all(bodies.map((b) => post(b)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(bodies.length - 1);
    const task = (await get('/tasks/trust-task-2')).body;
    expect(task.counts).toMatchObject({ failed: 1, total: 1 });
  });

  it('applies the same callback delivered at once on many connections exactly once', async () => {
    const event = driveEvent('trust-task-3', 'trust-drive-3', 3);
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(event)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.outcome === 'recorded')).toHaveLength(1);
    const [outcomes] = await h.db.query(
      `SELECT sum(failed)::int AS failed FROM drive_outcome_hourly WHERE task_id = 'trust-task-3'`,
    );
    expect(outcomes.failed).toBe(1);
  });

  it('keeps receipts while a Timestamp is accepted and deletes them after', async () => {
    await post(driveEvent('trust-task-4', 'trust-drive-4', 1));
    const count = async () => (await h.db.query(`SELECT count(*)::int AS n FROM callback_receipt`))[0].n as number;
    const kept = await count();
    expect(kept).toBeGreaterThan(0);
    const cleanup = h.app.get(ReceiptsCleanupService);
    expect(await cleanup.run(new Date())).toBe(0);
    expect(await cleanup.run(new Date(Date.now() + 10 * 60_000))).toBe(0);
    expect(await cleanup.run(new Date(Date.now() + 13 * 60_000))).toBe(kept);
    expect(await count()).toBe(0);
  });

  it.each([
    ['far in the future (year 33658)', 1e15],
    ['beyond what a date can hold', 1e16],
    ['at the epoch', 1],
    ['negative', -1000],
    ['a fraction', Date.now() - 0.5],
    ['a string', '2026-11-25'],
    ['the largest double', Number.MAX_VALUE],
    ['two days old', Date.now() - 48 * 3600_000],
  ])('records an event whose EventTime is %s at its arrival, and every read still answers', async (name, eventTime) => {
    const taskId = `trust-time-${name.replace(/[^a-z0-9]+/g, '-')}`;
    const before = Date.now();
    const res = await post(driveEvent(taskId, 'drive-t', 3, eventTime));
    const after = Date.now();
    expect(res.status).toBe(200);
    const drive = (await get(`/tasks/${taskId}/drives/drive-t`)).body;
    const observedAt = Date.parse(drive.history[0].observedAt);
    expect(observedAt).toBeGreaterThanOrEqual(before - 5);
    expect(observedAt).toBeLessThanOrEqual(after + 5);
    expect((await get(`/tasks/${taskId}/history`)).status).toBe(200);
    const csv = await h.request('GET', `/tasks/${taskId}/history?format=csv`, { headers: auth });
    expect(csv.status).toBe(200);
    const [hours] = await h.db.query(`SELECT min(hour) AS first FROM drive_outcome_hourly WHERE task_id = $1`, [
      taskId,
    ]);
    expect((hours.first as Date).getTime()).toBeGreaterThan(before - 3600_000);
  });

  it('does not stop polling a task on a stop the upstream contradicts', async () => {
    const { taskId } = h.simulator.engine.createTask();
    await eventually(() => h.simulator.engine.findTask(taskId).status === 3);
    expect((await h.request('PUT', `/tasks/${taskId}`, { headers: auth })).status).toBeLessThan(300);
    const res = await post(taskEvent(taskId, 5));
    expect(res.body).toEqual({ received: true, outcome: 'unconfirmed' });
    const task = (await get(`/tasks/${taskId}`)).body;
    expect(task).toMatchObject({ tracking: true, taskStatus: 'publishing', endedAt: null });
    const [row] = await h.db.query(`SELECT final_poll_after FROM task WHERE task_id = $1`, [taskId]);
    expect(row.final_poll_after).toBeNull();
  });

  it('records a stop the upstream confirms', async () => {
    const { taskId } = h.simulator.engine.createTask();
    await eventually(() => h.simulator.engine.findTask(taskId).status === 3);
    h.simulator.engine.stop(taskId);
    await eventually(() => h.simulator.engine.findTask(taskId).status === 5);
    expect((await post(taskEvent(taskId, 5))).body).toEqual({ received: true, outcome: 'recorded' });
    expect((await get(`/tasks/${taskId}`)).body).toMatchObject({ taskStatus: 'stopped', source: 'callback' });
  });

  it('does not start tracking a task the upstream does not know', async () => {
    const res = await post(taskEvent('trust-task-unknown-upstream', 3));
    expect(res.body).toEqual({ received: true, outcome: 'unconfirmed' });
    expect((await get('/tasks/trust-task-unknown-upstream')).status).toBe(404);
  });

  it('answers 503 when the upstream cannot confirm, writes nothing, and takes the retry', async () => {
    const { taskId } = h.simulator.engine.createTask();
    await eventually(() => h.simulator.engine.findTask(taskId).status === 3);
    h.simulator.injectFault({ actions: ['GetDigitalHumanStreamTaskStatus'], httpStatus: 503 });
    const event = taskEvent(taskId, 3);
    try {
      const res = await post(event);
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/could not be confirmed/);
      expect((await get(`/tasks/${taskId}`)).status).toBe(404);
    } finally {
      h.simulator.clearFaults();
    }
    // ZEGO sends the same callback again; nothing of the first attempt stands in its way.
    const retried = await eventually(
      async () => {
        const res = await post(event);
        return res.status === 200 ? res : undefined;
      },
      20_000,
      500,
    );
    expect(retried.body).toEqual({ received: true, outcome: 'recorded' });
    expect((await get(`/tasks/${taskId}`)).body).toMatchObject({ taskStatus: 'publishing' });
  });

  describe('the Signature is the receipt', () => {
    let serial = 0;
    /**
     * A fresh Timestamp in seconds and a six-digit Nonce, and their re-split: the Timestamp in
     * milliseconds (the same instant) and the Nonce's last three digits. The sorted concatenation
     * of secret, Timestamp and Nonce is the same, and so is the signature.
     */
    function splits() {
      const ts = String(Math.floor(Date.now() / 1000));
      // The tail that becomes the re-split's Nonce starts with 2-9, so it sorts after the Timestamp
      // (which starts with 1) in both splits and the signature is the same (a tail like 045 would
      // sort first and sign differently: a different callback, not a re-split).
      const nonce = `${500 + (serial++ % 400)}${200 + Math.floor(Math.random() * 800)}`;
      return { first: [ts, nonce] as const, resplit: [ts + nonce.slice(0, 3), nonce.slice(3)] as const };
    }
    const drive = (taskId: string, driveId: string, status: number) => ({
      EventType: 4,
      EventTime: Date.now(),
      TaskId: taskId,
      Detail: { DriveId: driveId, Status: status },
    });

    it('refuses a re-split of Timestamp and Nonce under a signature already used', async () => {
      const { first, resplit } = splits();
      const genuine = signed(drive('trust-split-1', 'split-drive-1', 2), ...first);
      const forged = signed(drive('trust-split-1', 'split-drive-1', 3), ...resplit);
      expect(forged.Signature).toBe(genuine.Signature);
      expect((await post(genuine)).body).toEqual({ received: true, outcome: 'recorded' });
      const before = await reusedCount();

      const res = await post(forged);
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/signature was already used with another body/);
      // Even with the body otherwise the same, and with the signature in capitals.
      const sameEvent = signed(drive('trust-split-1', 'split-drive-1', 2), ...resplit);
      expect((await post(sameEvent)).status).toBe(401);
      expect((await post({ ...genuine, Signature: genuine.Signature.toUpperCase() })).status).toBe(401);
      expect(await reusedCount()).toBe(before + 3);
      const stored = (await get('/tasks/trust-split-1/drives/split-drive-1')).body;
      expect(stored).toMatchObject({ status: 'playing' });
      expect(stored.history).toHaveLength(1);
      const [row] = await h.db.query(`SELECT count(*)::int AS n FROM callback_receipt WHERE signature = $1`, [
        genuine.Signature,
      ]);
      expect(row.n).toBe(1);
    });

    it('spends the signature of an ignored event: reused with a drive event it is refused', async () => {
      const { first, resplit } = splits();
      const ignored = signed({ EventType: 99, EventTime: Date.now(), TaskId: 'trust-split-2', Detail: {} }, ...first);
      expect((await post(ignored)).body).toEqual({ received: true, outcome: 'ignored' });
      // The same callback again: still acknowledged, still ignored.
      expect((await post(ignored)).body).toEqual({ received: true, outcome: 'ignored' });
      for (const [ts, nonce] of [first, resplit]) {
        const res = await post({ ...signed(drive('trust-split-2', 'split-drive-2', 3), ts, nonce) });
        expect(res.status).toBe(401);
      }
      expect((await get('/tasks/trust-split-2')).status).toBe(404);
    });

    it.each([
      ['malformed (400)', 400, (ts: string, n: string) => signed(drive('trust-split-3', 'bad drive id', 3), ts, n)],
      [
        'another account’s (403)',
        403,
        (ts: string, n: string) => ({ ...signed(drive('trust-split-4', 'split-drive-4', 3), ts, n), AppId: 42 }),
      ],
    ])('spends the signature of a verified callback refused as %s', async (_name, status, make) => {
      const { first } = splits();
      const refused = make(...first);
      expect((await post(refused)).status).toBe(status);
      // ZEGO's retry of it gets the same answer.
      expect((await post(refused)).status).toBe(status);
      const reused = signed(drive('trust-split-5', 'split-drive-5', 3), ...first);
      expect((await post(reused)).status).toBe(401);
      expect((await get('/tasks/trust-split-5')).status).toBe(404);
    });

    it('holds the signature of a stream task event the upstream could not confirm (503)', async () => {
      const { taskId } = h.simulator.engine.createTask();
      await eventually(() => h.simulator.engine.findTask(taskId).status === 3);
      const { first } = splits();
      const event = signed({ EventType: 3, EventTime: Date.now(), TaskId: taskId, Detail: { Status: 3 } }, ...first);
      h.simulator.injectFault({ actions: ['GetDigitalHumanStreamTaskStatus'], httpStatus: 503 });
      try {
        expect((await post(event)).status).toBe(503);
        const reused = signed(drive(taskId, 'split-drive-6', 3), ...first);
        expect((await post(reused)).status).toBe(401);
        expect((await get(`/tasks/${taskId}`)).status).toBe(404);
      } finally {
        h.simulator.clearFaults();
      }
      // ZEGO's retry is still applied, once.
      const retried = await eventually(
        async () => {
          const res = await post(event);
          return res.status === 200 ? res : undefined;
        },
        20_000,
        500,
      );
      expect(retried.body).toEqual({ received: true, outcome: 'recorded' });
      expect((await post(event)).body).toEqual({ received: true, outcome: 'duplicate' });
    });

    it('keeps an identical redelivery an idempotent 200', async () => {
      const { first } = splits();
      const event = signed(drive('trust-split-7', 'split-drive-7', 4), ...first);
      const answers = [await post(event), ...(await Promise.all([post(event), post(event)])), await post(event)];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(answers[0].body.outcome).toBe('recorded');
      expect(answers.slice(1).map((a) => a.body.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
      const [outcomes] = await h.db.query(
        `SELECT sum(finished)::int AS finished FROM drive_outcome_hourly WHERE task_id = 'trust-split-7'`,
      );
      expect(outcomes.finished).toBe(1);
    });
  });

  it('never answers 5xx to hostile field values', async () => {
    const hostile = [
      { ...driveEvent('trust-task-5', 'd', 1), Nonce: 'n'.repeat(5000) },
      { ...driveEvent('trust-task-5', 'd', 1), Nonce: 'a\u0000b' },
      { ...driveEvent('trust-task-5', 'd', 1), Timestamp: '9'.repeat(400) },
      driveEvent('trust-task-5', 'x'.repeat(129), 1),
      driveEvent('trust-task-5', 'drive\u0000', 1),
      signed({ EventType: 3, EventTime: Date.now(), TaskId: 'trust-task-5', Detail: { Status: 3, RoomId: 'r\u0000' } }),
      signed({
        EventType: 3,
        EventTime: Date.now(),
        TaskId: 'trust-task-5',
        Detail: { Status: 3, FailReason: 'f'.repeat(100_000) },
      }),
      signed({ EventType: 99, EventTime: Date.now(), TaskId: 'trust-task-5', Detail: null }),
    ];
    for (const body of hostile) {
      const res = await post(body);
      expect(res.status).toBeLessThan(500);
    }
  });
});
