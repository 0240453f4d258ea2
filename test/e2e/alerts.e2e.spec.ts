import { verifyWebhook } from '../../src/webhooks/webhook-signature';
import { signedCallback } from '../support/callbacks';
import { eventually, Harness, startHarness } from '../support/harness';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Alerts end to end: signed drive callbacks change the record, the lease holder's evaluator fires
 * and resolves alerts, and a real receiver on loopback gets the signed events.
 */
const CALLBACK_SECRET = 'alerts-callback-secret-5a4b3c2d';
const KEY = 'alerts-api-key-0000000000001';
const auth = { authorization: `Bearer ${KEY}` };

const signed = (fields: Record<string, unknown>) => signedCallback(CALLBACK_SECRET, fields);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let driveSeq = 0;

describe('alerts and webhooks', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  const api = (method: string, path: string, body?: unknown) => h.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    h = await startHarness({
      env: {
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        API_KEYS: KEY,
        ALERT_EVAL_INTERVAL_MS: '300',
        WEBHOOK_RETRY_BASE_MS: '300',
        WEBHOOK_TIMEOUT_MS: '1000',
        // The receiver is on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
      simulator: { failureRate: 0 },
    });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  /** A task the simulator knows (so polling it is harmless), tracked. */
  async function trackedTask(): Promise<string> {
    const taskId = h.simulator.engine.createTask().taskId;
    expect((await api('PUT', `/tasks/${taskId}`)).status).toBe(201);
    return taskId;
  }

  /** A drive of the task reported by signed callbacks: each status in turn. */
  async function drive(taskId: string, ...statuses: number[]): Promise<string> {
    const driveId = `alert-drive-${++driveSeq}`;
    for (const status of statuses) {
      const res = await h.request('POST', '/callbacks/zego', {
        body: signed({
          EventType: 4,
          EventTime: Date.now(),
          TaskId: taskId,
          Detail: { DriveId: driveId, Status: status },
        }),
      });
      expect(res.status).toBe(200);
    }
    return driveId;
  }

  async function webhook(path: string) {
    const res = await api('POST', '/webhooks', { url: `${receiver.url}${path}`, description: path });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_/);
    return res.body as { id: string; secret: string };
  }

  async function rule(body: Record<string, unknown>) {
    const res = await api('POST', '/alert-rules', body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  const at = (path: string) => receiver.received.filter((r) => r.path === path);

  it('refuses bad input with a 400 that names the field', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/webhooks', { url: 'ftp://example.com/x' }, /url must be an http/],
      ['POST', '/webhooks', { url: 'javascript:alert(1)' }, /url must be an http/],
      ['POST', '/webhooks', { url: `${receiver.url}/x`, secret: 'mine' }, /unknown parameter secret/],
      ['POST', '/alert-rules', { kind: 'sometimes' }, /kind must be one of/],
      [
        'POST',
        '/alert-rules',
        { kind: 'consecutive_failures', threshold: 0 },
        /threshold must be a whole number from 1 to 1000/,
      ],
      ['POST', '/alert-rules', { kind: 'consecutive_failures', threshold: 2.5 }, /threshold must be a whole number/],
      ['POST', '/alert-rules', { kind: 'consecutive_failures' }, /threshold is required/],
      ['POST', '/alert-rules', { kind: 'failure_rate', threshold: 1.5 }, /threshold must be a number above 0 to 1/],
      [
        'POST',
        '/alert-rules',
        { kind: 'failure_rate', threshold: 0.5, windowS: 5 },
        /windowS must be a whole number from 60/,
      ],
      ['POST', '/alert-rules', { kind: 'consecutive_failures', threshold: 3, windowS: 60 }, /windowS does not apply/],
      [
        'POST',
        '/alert-rules',
        { kind: 'sync_lag', thresholdS: 30, taskId: 'some-task' },
        /taskId does not apply to sync_lag/,
      ],
      ['POST', '/alert-rules', { kind: 'stuck_drive', thresholdS: '60' }, /thresholdS must be a number/],
      ['POST', '/alert-rules', { kind: 'upstream', webhookIds: ['not-a-uuid'] }, /webhookIds must hold webhook ids/],
      [
        'POST',
        '/alert-rules',
        { kind: 'upstream', webhookIds: ['5b0c6f1e-3d2a-4c8b-9e7f-0a1b2c3d4e5f'] },
        /webhookIds: no webhook 5b0c6f1e/,
      ],
      ['POST', '/silences', { endsAt: 'tomorrow', reason: 'x' }, /endsAt must be an ISO-8601 time/],
      ['POST', '/silences', { endsAt: new Date(Date.now() - 1000).toISOString(), reason: 'x' }, /endsAt must be/],
      ['GET', '/alerts?state=burning', undefined, /state must be firing or resolved/],
      ['GET', '/webhooks/not-a-uuid', undefined, /id must be a webhook id/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await api(method, path, body);
      expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      expect(res.body.message).toMatch(message);
    }
    // Credentials in a webhook URL are not shown back.
    const withPassword = await api('POST', '/webhooks', { url: 'https://bot:s3cr3t-pass@hooks.example.com/in' });
    expect(withPassword.body.url).toBe('https://***:***@hooks.example.com/in');
    expect(JSON.stringify((await api('GET', '/webhooks')).body)).not.toContain('s3cr3t-pass');
    expect((await api('DELETE', `/webhooks/${withPassword.body.id}`)).status).toBe(204);
    expect((await api('GET', '/alert-rules')).body.items).toEqual([]);
    expect((await api('GET', '/webhooks')).body.items).toEqual([]);
    // The API key is required, as everywhere else.
    expect((await h.request('GET', '/webhooks')).status).toBe(401);
  });

  it('fires once when failures run in a row and resolves once after a finished drive; deliveries are signed', async () => {
    const hook = await webhook('/consecutive');
    const taskId = await trackedTask();
    const r = await rule({ kind: 'consecutive_failures', threshold: 3, taskId, webhookIds: [hook.id] });

    await drive(taskId, 1, 2, 4); // a finished drive first: no run yet
    await drive(taskId, 2, 3);
    await drive(taskId, 3);
    await sleep(900);
    expect(at('/consecutive')).toHaveLength(0); // two failures in a row: below the threshold
    await drive(taskId, 3);

    const [firing] = await eventually(() => at('/consecutive').length >= 1 && at('/consecutive'));
    expect(firing.body).toMatchObject({
      type: 'alert.firing',
      alert: { ruleId: r.id, kind: 'consecutive_failures', taskId, value: 3, threshold: 3, resolvedAt: null },
    });
    expect(firing.headers['x-drive-status-event-id']).toBe(firing.body.id);
    expect(verifyWebhook(hook.secret, firing.raw, firing.headers['x-drive-status-signature'] as string)).toBe(true);
    expect(
      verifyWebhook(
        hook.secret,
        firing.raw.replace('"value":3', '"value":4'),
        firing.headers['x-drive-status-signature'] as string,
      ),
    ).toBe(false);
    expect(verifyWebhook('whsec_other', firing.raw, firing.headers['x-drive-status-signature'] as string)).toBe(false);

    // More failures while firing: no second event.
    await drive(taskId, 3);
    await sleep(1200);
    expect(at('/consecutive')).toHaveLength(1);
    const listed = (await api('GET', '/alerts?state=firing')).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ ruleId: r.id, taskId, state: 'firing', value: 3, threshold: 3 }),
    ]);

    await drive(taskId, 2, 4);
    const resolved = await eventually(() => receiver.events('alert.resolved', r.id)[0]);
    expect(resolved.body.alert).toMatchObject({
      id: firing.body.alert.id,
      firedAt: firing.body.alert.firedAt,
      value: 0,
    });
    expect(resolved.body.alert.resolvedAt).toEqual(expect.any(String));
    expect(resolved.body.id).not.toBe(firing.body.id);
    expect(verifyWebhook(hook.secret, resolved.raw, resolved.headers['x-drive-status-signature'] as string)).toBe(true);
    await sleep(1200);
    expect(at('/consecutive')).toHaveLength(2);

    const alerts = (await api('GET', '/alerts?state=resolved')).body.items;
    expect(alerts).toEqual([
      expect.objectContaining({ id: firing.body.alert.id, state: 'resolved', resolvedValue: 0 }),
    ]);
    expect((await api('GET', '/alerts?state=firing')).body.items).toEqual([]);
    const attempts = (await api('GET', `/webhooks/${hook.id}/deliveries`)).body.items;
    expect(attempts.map((a: any) => [a.type, a.statusCode, a.outcome])).toEqual([
      ['alert.resolved', 204, 'delivered'],
      ['alert.firing', 204, 'delivered'],
    ]);
    expect((await api('GET', `/webhooks/${hook.id}`)).body).toMatchObject({ state: 'healthy', pending: 0 });
    expect(JSON.stringify((await api('GET', '/webhooks')).body)).not.toContain(hook.secret);
    await api('DELETE', `/alert-rules/${r.id}`);
  });

  it('records alerts during a silence without delivering them', async () => {
    const hook = await webhook('/silenced');
    const taskId = await trackedTask();
    const r = await rule({ kind: 'consecutive_failures', threshold: 1, taskId, webhookIds: [hook.id] });
    const silence = await api('POST', '/silences', {
      ruleId: r.id,
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      reason: 'maintenance',
    });
    expect(silence.status).toBe(201);
    expect((await api('GET', '/silences')).body.items).toEqual([
      expect.objectContaining({ id: silence.body.id, reason: 'maintenance' }),
    ]);

    await drive(taskId, 3);
    await eventually(async () =>
      (await api('GET', '/alerts?state=firing')).body.items.find((a: any) => a.ruleId === r.id),
    );
    await drive(taskId, 4);
    await eventually(async () =>
      (await api('GET', '/alerts?state=resolved')).body.items.find((a: any) => a.ruleId === r.id),
    );
    await sleep(1000);
    expect(at('/silenced')).toHaveLength(0);
    expect((await api('GET', `/webhooks/${hook.id}`)).body.pending).toBe(0);

    // After the silence, events are delivered again.
    expect((await api('DELETE', `/silences/${silence.body.id}`)).status).toBe(204);
    await drive(taskId, 3);
    await eventually(() => receiver.events('alert.firing', r.id).length === 1);
    await api('DELETE', `/alert-rules/${r.id}`);
  });

  it('retries while the receiver is down and delivers the same event once it is back', async () => {
    const hook = await webhook('/flaky');
    receiver.mode = 'down';
    try {
      const test = await api('POST', `/webhooks/${hook.id}/test`);
      expect(test.status).toBe(202);
      await eventually(() => at('/flaky').length >= 4, 20_000);
      expect((await api('GET', `/webhooks/${hook.id}`)).body).toMatchObject({ state: 'failing', pending: 1 });
      receiver.mode = 'ok';
      await eventually(async () => (await api('GET', `/webhooks/${hook.id}`)).body.pending === 0, 20_000);
      const got = at('/flaky');
      expect(new Set(got.map((g) => g.body.id))).toEqual(new Set([test.body.eventId]));
      expect(got.every((g) => verifyWebhook(hook.secret, g.raw, g.headers['x-drive-status-signature'] as string))).toBe(
        true,
      );
      const attempts = (await api('GET', `/webhooks/${hook.id}/deliveries`)).body.items;
      expect(attempts[0]).toMatchObject({ eventId: test.body.eventId, outcome: 'delivered', statusCode: 204 });
      expect(
        attempts.slice(1).every((a: any) => a.statusCode === 503 && a.outcome === 'retrying' && a.nextRetryAt),
      ).toBe(true);
      expect(attempts.map((a: any) => a.attempt)).toEqual(attempts.map((_: unknown, i: number) => attempts.length - i));
      expect((await api('GET', `/webhooks/${hook.id}`)).body.state).toBe('healthy');
    } finally {
      receiver.mode = 'ok';
    }
  });

  it('does not let a receiver that hangs or answers 10 MB hold the service', async () => {
    const slow = await webhook('/slow');
    const huge = await webhook('/huge');
    receiver.mode = 'hang';
    await api('POST', `/webhooks/${slow.id}/test`);
    await eventually(() => at('/slow').length >= 1);
    // While the attempt hangs, the API answers.
    const started = Date.now();
    expect((await api('GET', '/tasks')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(900);
    const first = await eventually(async () => (await api('GET', `/webhooks/${slow.id}/deliveries`)).body.items[0]);
    expect(first).toMatchObject({ statusCode: null, error: 'no answer', outcome: 'retrying' });
    // A closed port reads the same as one that never answers: same text, and held for the whole
    // time-out (a lower bound the sender guarantees, whatever the machine's speed).
    const closed = (await api('POST', '/webhooks', { url: 'http://127.0.0.1:9/closed' })).body;
    await api('POST', `/webhooks/${closed.id}/test`);
    const refused = await eventually(async () => (await api('GET', `/webhooks/${closed.id}/deliveries`)).body.items[0]);
    expect(refused).toMatchObject({ statusCode: null, error: 'no answer', outcome: 'retrying' });
    expect(refused.durationMs).toBeGreaterThanOrEqual(990); // WEBHOOK_TIMEOUT_MS here: 1000
    await api('DELETE', `/webhooks/${closed.id}`);
    receiver.mode = 'huge';
    await api('POST', `/webhooks/${huge.id}/test`);
    const delivered = await eventually(async () => (await api('GET', `/webhooks/${huge.id}/deliveries`)).body.items[0]);
    expect(delivered).toMatchObject({ statusCode: 200, outcome: 'delivered' });
    receiver.mode = 'ok';
    await api('DELETE', `/webhooks/${slow.id}`);
    expect((await api('GET', `/webhooks/${slow.id}`)).status).toBe(404);
  });

  it('fires and resolves failure_rate with hysteresis', async () => {
    const hook = await webhook('/rate');
    const taskId = await trackedTask();
    const r = await rule({
      kind: 'failure_rate',
      threshold: 0.5,
      windowS: 600,
      minSamples: 4,
      taskId,
      webhookIds: [hook.id],
    });
    await drive(taskId, 3);
    await drive(taskId, 3);
    await drive(taskId, 3);
    await sleep(900);
    expect(at('/rate')).toHaveLength(0); // 3 samples: fewer than minSamples
    await drive(taskId, 4); // 3 of 4 failed
    const firing = await eventually(() => receiver.events('alert.firing', r.id)[0]);
    expect(firing.body.alert).toMatchObject({ value: 0.75, threshold: 0.5 });
    await drive(taskId, 4);
    await drive(taskId, 4); // 3 of 6 = 0.5: still firing (resolves below 0.4)
    await sleep(900);
    expect(receiver.events('alert.resolved', r.id)).toHaveLength(0);
    await drive(taskId, 4);
    await drive(taskId, 4); // 3 of 8 = 0.375
    const resolved = await eventually(() => receiver.events('alert.resolved', r.id)[0]);
    expect(resolved.body.alert).toMatchObject({ id: firing.body.alert.id, value: 0.375 });
    await api('DELETE', `/alert-rules/${r.id}`);
  });

  it('fires stuck_drive for a drive playing too long, and resolves when it ends', async () => {
    const hook = await webhook('/stuck');
    const taskId = await trackedTask();
    const r = await rule({ kind: 'stuck_drive', thresholdS: 2, webhookIds: [hook.id] });
    const d = await drive(taskId, 2);
    const firing = await eventually(() => receiver.events('alert.firing', r.id)[0]);
    expect(firing.body.alert).toMatchObject({ taskId, value: 1, threshold: 2 });
    expect(Date.parse(firing.body.alert.firedAt)).toBeGreaterThan(Date.now() - 30_000);
    await h.request('POST', '/callbacks/zego', {
      body: signed({ EventType: 4, EventTime: Date.now(), TaskId: taskId, Detail: { DriveId: d, Status: 4 } }),
    });
    const resolved = await eventually(() => receiver.events('alert.resolved', r.id)[0]);
    expect(resolved.body.alert).toMatchObject({ id: firing.body.alert.id, value: 0 });
    // PATCH: disabling a rule resolves nothing more and fires nothing.
    const patched = await api('PATCH', `/alert-rules/${r.id}`, { enabled: false, thresholdS: 5 });
    expect(patched.body).toMatchObject({ enabled: false, thresholdS: 5, kind: 'stuck_drive' });
    expect((await api('PATCH', `/alert-rules/${r.id}`, { kind: 'upstream' })).status).toBe(400);
    expect((await api('PATCH', `/alert-rules/${r.id}`, { thresholdS: 0 })).body.message).toMatch(/thresholdS must be/);
    await api('DELETE', `/alert-rules/${r.id}`);
  });

  it('exposes firing alerts, delivery results and the backlog as metrics', async () => {
    const text = (await api('GET', '/metrics')).body as string;
    expect(text).toMatch(/^drive_status_alerts_firing \d+$/m);
    expect(text).toMatch(/^drive_status_webhook_deliveries_total\{result="delivered"\} [1-9]\d*$/m);
    expect(text).toMatch(/^drive_status_webhook_deliveries_total\{result="failed"\} [1-9]\d*$/m);
    expect(text).toMatch(/^drive_status_webhook_outbox_backlog \d+$/m);
    // No secret nor receiver URL in the logs.
    const logs = h.logs.lines.join('\n');
    expect(logs).not.toMatch(/whsec_/);
    expect(logs).not.toContain(receiver.url);
  });
});

describe('service-wide alerts', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  const api = (method: string, path: string, body?: unknown) => h.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    h = await startHarness({
      env: {
        API_KEYS: KEY,
        ALERT_EVAL_INTERVAL_MS: '300',
        WEBHOOK_RETRY_BASE_MS: '300',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        ZEGO_RATE_LIMIT: '2',
        CIRCUIT_THRESHOLD: '2',
        CIRCUIT_HALF_OPEN_S: '1',
        POLL_INTERVAL_MS: '200',
        IDLE_POLL_INTERVAL_MS: '200',
        MAX_RETRY_DELAY_MS: '1000',
      },
      simulator: { failureRate: 0, rateLimit: 100 },
    });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('fires upstream while the circuit is open and resolves when the upstream answers again', async () => {
    const hook = (await api('POST', '/webhooks', { url: `${receiver.url}/upstream` })).body;
    const r = (await api('POST', '/alert-rules', { kind: 'upstream', webhookIds: [hook.id] })).body;
    const taskId = h.simulator.engine.createTask().taskId;
    await api('PUT', `/tasks/${taskId}`);
    h.simulator.injectFault({ httpStatus: 503 });
    const firing = await eventually(() => receiver.events('alert.firing', r.id)[0], 20_000);
    expect(firing.body.alert).toMatchObject({ kind: 'upstream', taskId: null, value: 1, threshold: 1 });
    h.simulator.clearFaults();
    const resolved = await eventually(() => receiver.events('alert.resolved', r.id)[0], 20_000);
    expect(resolved.body.alert).toMatchObject({ id: firing.body.alert.id, value: 0 });
    await api('DELETE', `/tasks/${taskId}`);
    await api('DELETE', `/alert-rules/${r.id}`);
  });

  it('fires sync_lag when polls fall behind and resolves once they catch up', async () => {
    const hook = (await api('POST', '/webhooks', { url: `${receiver.url}/lag` })).body;
    const r = (await api('POST', '/alert-rules', { kind: 'sync_lag', thresholdS: 2, webhookIds: [hook.id] })).body;
    // 2 upstream calls a second cannot poll 20 tasks every 200 ms: the lag grows.
    const tasks = Array.from({ length: 20 }, () => h.simulator.engine.createTask().taskId);
    for (const t of tasks) await api('PUT', `/tasks/${t}`);
    const firing = await eventually(() => receiver.events('alert.firing', r.id)[0], 20_000);
    expect(firing.body.alert.value).toBeGreaterThan(2);
    for (const t of tasks) await api('DELETE', `/tasks/${t}`);
    const resolved = await eventually(() => receiver.events('alert.resolved', r.id)[0], 20_000);
    expect(resolved.body.alert.value).toBeLessThan(1.6);
    expect(receiver.events('alert.firing', r.id)).toHaveLength(1);
  });
});
