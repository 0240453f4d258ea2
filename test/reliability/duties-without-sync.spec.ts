import { verifyWebhook } from '../../src/webhooks/webhook-signature';
import { driveCallback } from '../support/callbacks';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { serviceEnv, ServiceProcess, startService, startSimulator, upstreamCalls } from '../support/processes';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);
const CALLBACK_SECRET = 'no-sync-callback-secret-0001';
const KEY = 'no-sync-api-key-0000000000001';
const auth = { authorization: `Bearer ${KEY}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SYNC_ENABLED=false on every replica only stops the calls to ZEGO: the fleet's other duties (alert
 * evaluation and webhook delivery here) still run, on exactly one replica, the fleet lease holder.
 */
describe('background duties with SYNC_ENABLED=false on every replica', () => {
  let db: TestDatabase;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let receiver: WebhookReceiver;
  let replicas: ServiceProcess[] = [];
  const api = (r: ServiceProcess, method: string, path: string, body?: unknown) =>
    r.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
    sim = await startSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET, rateLimit: 10 });
    const env = serviceEnv(db.url, sim.url, {
      SYNC_ENABLED: 'false',
      // The receiver is on loopback, which the webhook egress policy refuses unless told otherwise.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
      API_KEYS: KEY,
      ALERT_EVAL_INTERVAL_MS: '300',
      WEBHOOK_RETRY_BASE_MS: '300',
      DISCOVERY_INTERVAL_S: '1',
    });
    replicas = await Promise.all([startService(env), startService(env)]);
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill('SIGKILL')));
    await sim.close();
    await receiver.close();
    await db.drop();
  });

  it('fires an alert and delivers it exactly once, with no call to ZEGO; /status says sync is off and who runs the duties', async () => {
    const taskId = 'no-sync-task';
    const post = (r: ServiceProcess, driveId: string, status: number) =>
      r.request('POST', '/callbacks/zego', { body: driveCallback(CALLBACK_SECRET, taskId, driveId, status) });
    expect((await post(replicas[0], 'd-0', 4)).status).toBe(200);
    const hook = (await api(replicas[0], 'POST', '/webhooks', { url: `${receiver.url}/no-sync` })).body;
    const rule = await api(replicas[1], 'POST', '/alert-rules', {
      kind: 'consecutive_failures',
      threshold: 2,
      taskId,
      webhookIds: [hook.id],
    });
    expect(rule.status).toBe(201);
    const ruleId = rule.body.id as string;

    // Failed drives, through both replicas.
    for (const [i, r] of [replicas[0], replicas[1], replicas[0]].entries()) {
      const res = await post(r, `d-fail-${i}`, 3);
      expect(res.status).toBe(200);
    }
    await eventually(() => receiver.events('alert.firing', ruleId).length > 0, 30_000);
    await sleep(2000); // a second sender or evaluator would have sent it again by now
    const firing = receiver.events('alert.firing', ruleId);
    expect(firing).toHaveLength(1);
    expect(verifyWebhook(hook.secret, firing[0].raw, firing[0].headers['x-drive-status-signature'] as string)).toBe(
      true,
    );

    // Exactly one replica holds the lease and runs the duties; both say sync is off.
    const statuses = await Promise.all(replicas.map(async (r) => (await api(r, 'GET', '/status')).body));
    expect(statuses.map((s) => s.syncEnabled)).toEqual([false, false]);
    expect(statuses.filter((s) => s.backgroundDuties.leaseHolder)).toHaveLength(1);
    const duties = statuses[0].backgroundDuties.duties.map((d: { name: string }) => d.name).sort();
    expect(duties).toEqual(
      [
        'alert-evaluation',
        'alert-reminders',
        'alert-retention',
        'maintenance',
        'receipts-cleanup',
        'unresolved-sweep',
        'webhook-delivery',
      ].sort(),
    );
    // Nothing called ZEGO (discovery is set to run every second, and does not).
    expect((await sim.stats()).total).toBe(0);
    for (const r of replicas) expect(await upstreamCalls(r, auth)).toBe(0);
  });
});
