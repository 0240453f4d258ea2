import { verifyWebhook } from '../../src/webhooks/webhook-signature';
import { driveCallback } from '../support/callbacks';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { serviceEnv, ServiceProcess, startService, startSimulator, upstreamCalls } from '../support/processes';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(120_000);
const CALLBACK_SECRET = 'alert-replica-callback-secret';
const KEY = 'alert-replica-api-key-000000001';
const auth = { authorization: `Bearer ${KEY}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const driveEvent = (taskId: string, driveId: string, status: number) =>
  driveCallback(CALLBACK_SECRET, taskId, driveId, status);

/** Three replicas on one database: one evaluator and one sender fleet-wide, and nothing lost to kill -9. */
describe('alerts with several replicas', () => {
  let db: TestDatabase;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let receiver: WebhookReceiver;
  let replicas: ServiceProcess[] = [];
  let taskId: string;
  let hook: { id: string; secret: string };
  let ruleId: string;
  const api = (r: ServiceProcess, method: string, path: string, body?: unknown) =>
    r.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
    sim = await startSimulator({
      appId: TEST_APP_ID,
      serverSecret: TEST_SERVER_SECRET,
      rateLimit: 10,
      driveDurationMs: [300, 900],
      initDelayMs: 0,
      failureRate: 0,
    });
    const env = serviceEnv(db.url, sim.url, {
      ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
      API_KEYS: KEY,
      ALERT_EVAL_INTERVAL_MS: '300',
      WEBHOOK_RETRY_BASE_MS: '300',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      POLL_INTERVAL_MS: '500',
      IDLE_POLL_INTERVAL_MS: '500',
    });
    replicas = await Promise.all([startService(env), startService(env), startService(env)]);
    [taskId] = await sim.createTasks(1);
    expect((await api(replicas[0], 'PUT', `/tasks/${taskId}`)).status).toBe(201);
    hook = (await api(replicas[1], 'POST', '/webhooks', { url: `${receiver.url}/fleet` })).body;
    ruleId = (
      await api(replicas[2], 'POST', '/alert-rules', {
        kind: 'consecutive_failures',
        threshold: 2,
        taskId,
        webhookIds: [hook.id],
      })
    ).body.id;
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.kill('SIGKILL')));
    await sim.close();
    await receiver.close();
    await db.drop();
  });

  it('sends exactly one firing and one resolved event, whichever replicas take the callbacks', async () => {
    for (const [i, status] of [3, 3, 3].entries()) {
      const r = await replicas[i % 3].request('POST', '/callbacks/zego', {
        body: driveEvent(taskId, `fleet-${i}`, status),
      });
      expect(r.status).toBe(200);
    }
    await eventually(() => receiver.events('alert.firing', ruleId).length > 0, 20_000);
    await replicas[1].request('POST', '/callbacks/zego', { body: driveEvent(taskId, 'fleet-ok', 4) });
    await eventually(() => receiver.events('alert.resolved', ruleId).length > 0, 20_000);
    await sleep(2000);
    expect(receiver.events('alert.firing', ruleId)).toHaveLength(1);
    expect(receiver.events('alert.resolved', ruleId)).toHaveLength(1);
    for (const r of receiver.received) {
      expect(verifyWebhook(hook.secret, r.raw, r.headers['x-drive-status-signature'] as string)).toBe(true);
    }
  });

  it('delivers an event recorded by a replica killed with -9 before it could send it', async () => {
    const leader = replicas[(await Promise.all(replicas.map((r) => upstreamCalls(r, auth)))).findIndex((n) => n > 0)];
    expect(leader).toBeDefined();
    receiver.mode = 'down';
    receiver.received.length = 0;
    await leader.request('POST', '/callbacks/zego', { body: driveEvent(taskId, 'kill-1', 3) });
    await leader.request('POST', '/callbacks/zego', { body: driveEvent(taskId, 'kill-2', 3) });
    // The alert fired (its event is in the outbox) and the receiver refused the first attempt.
    const refused = await eventually(() => receiver.received[0], 20_000);
    expect(refused.body.type).toBe('alert.firing');
    await leader.kill('SIGKILL');
    replicas = replicas.filter((r) => r !== leader);
    receiver.mode = 'ok';
    // Another replica takes the lease over and sends the same event.
    const sent = await eventually(
      () => receiver.received.find((r) => r.body.id === refused.body.id && r.at > refused.at) ?? false,
      30_000,
    );
    expect(sent.body).toEqual(refused.body);
    await sleep(1500);
    expect(new Set(receiver.received.map((r) => r.body.id))).toEqual(new Set([refused.body.id]));
    const firing = (await api(replicas[0], 'GET', '/alerts?state=firing')).body.items;
    expect(firing).toHaveLength(1);
  });
});
