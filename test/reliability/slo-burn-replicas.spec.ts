import { verifyWebhook } from '../../src/webhooks/webhook-signature';
import { signCallback } from '../../src/zego/zego-signature';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { serviceEnv, ServiceProcess, startService, startSimulator } from '../support/processes';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);
const CALLBACK_SECRET = 'slo-burn-replica-callback-secret';
const KEY = 'slo-burn-replica-api-key-0000001';
const auth = { authorization: `Bearer ${KEY}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let nonce = 0;
function driveEvent(taskId: string, driveId: string, status: number) {
  const ts = String(Math.floor(Date.now() / 1000));
  const n = `${process.pid}-slo-${++nonce}`;
  return {
    AppId: Number(TEST_APP_ID),
    EventType: 4,
    Nonce: n,
    Timestamp: ts,
    Signature: signCallback(CALLBACK_SECRET, ts, n),
    EventTime: Date.now(),
    TaskId: taskId,
    Detail: { DriveId: driveId, Status: status },
  };
}

/**
 * The slo_burn alert on two replicas sharing one database: a burst of failed drives (signed
 * callbacks, to either replica) pages once; enough finished drives after it resolve it once.
 */
describe('SLO burn alerts with two replicas', () => {
  let db: TestDatabase;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let receiver: WebhookReceiver;
  const replicas: ServiceProcess[] = [];
  const api = (r: ServiceProcess, method: string, path: string, body?: unknown) =>
    r.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
    sim = await startSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET, rateLimit: 10, failureRate: 0 });
    const env = serviceEnv(db.url, sim.url, {
      ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
      API_KEYS: KEY,
      ALERT_EVAL_INTERVAL_MS: '300',
      WEBHOOK_RETRY_BASE_MS: '300',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SYNC_ENABLED: 'false',
    });
    // One after the other: two cold starts at once on a busy machine can outlast the start timeout.
    replicas.push(await startService(env));
    replicas.push(await startService(env));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill('SIGKILL')));
    await sim.close();
    await receiver.close();
    await db.drop();
  });

  it('pages once while both windows burn, and resolves once when no pair holds', async () => {
    const taskId = 'slo-burn-task';
    expect((await api(replicas[0], 'PUT', `/tasks/${taskId}`)).status).toBe(201);
    const hook = (await api(replicas[1], 'POST', '/webhooks', { url: `${receiver.url}/slo` })).body;
    // 95 % over 28 days: thresholds 13.44 (1 h and 5 m), 5.6 (6 h and 30 m), 0.933 (3 d and 6 h);
    // a burn rate is the bad share divided by 0.05, at most 20.
    const slo = (await api(replicas[0], 'POST', '/slos', { name: 'burn', objective: 95, taskId })).body;
    const rule = (
      await api(replicas[1], 'POST', '/alert-rules', { kind: 'slo_burn', sloId: slo.id, webhookIds: [hook.id] })
    ).body;
    expect(rule.sloId).toBe(slo.id);

    // One failed drive: every window's share is 1, burn 20: the page pair holds.
    expect((await replicas[0].request('POST', '/callbacks/zego', { body: driveEvent(taskId, 'f-0', 3) })).status).toBe(
      200,
    );
    const [firing] = await eventually(() => {
      const e = receiver.events('alert.firing', rule.id);
      return e.length ? e : false;
    }, 20_000);
    expect(firing.body.alert).toMatchObject({ kind: 'slo_burn', taskId: null, value: 20, threshold: 13.44 });
    expect(firing.body.slo).toMatchObject({
      id: slo.id,
      name: 'burn',
      objective: 95,
      windowDays: 28,
      severity: 'critical',
      action: 'page',
      window: { long: '1h', short: '5m' },
      burnRates: { '5m': 20, '30m': 20, '1h': 20, '6h': 20, '1d': 20, '3d': 20 },
      // 1 bad of 1 at 95 %: allowed 0.05, consumed 20, left -19.
      budgetRemaining: -19,
    });

    // 1 bad in 22 is a share of 0.0455, burn 0.909, under 0.933: no pair holds any more (1 bad in
    // 25 once all are in: burn 0.8). The evaluator may look at any point between.
    for (let i = 0; i < 24; i++) {
      const r = await replicas[i % 2].request('POST', '/callbacks/zego', { body: driveEvent(taskId, `ok-${i}`, 4) });
      expect(r.status).toBe(200);
    }
    const [resolved] = await eventually(() => {
      const e = receiver.events('alert.resolved', rule.id);
      return e.length ? e : false;
    }, 20_000);
    expect(resolved.body.slo).toMatchObject({ severity: null, action: null });
    const burn = resolved.body.slo.burnRates['5m'];
    expect(burn).toBeLessThan(0.9334);
    expect(burn).toBeGreaterThanOrEqual(0.8);
    // Every drive lies in the last 5 minutes: the whole window burned the same, budget left 1 − burn.
    expect(resolved.body.slo.budgetRemaining).toBeCloseTo(1 - burn, 3);
    expect(resolved.body.alert.value).toBeCloseTo(burn, 3);

    // Several evaluation rounds later, on either replica, still exactly one of each.
    await sleep(2000);
    expect(receiver.events('alert.firing', rule.id)).toHaveLength(1);
    expect(receiver.events('alert.resolved', rule.id)).toHaveLength(1);
    for (const r of receiver.received) {
      expect(verifyWebhook(hook.secret, r.raw, r.headers['x-drive-status-signature'] as string)).toBe(true);
    }
    const alerts = (await api(replicas[0], 'GET', '/alerts')).body.items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleId: rule.id, state: 'resolved' });
  });
});
