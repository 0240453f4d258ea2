import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AlertEvaluatorService } from '../../src/alerts/alert-evaluator.service';
import { createApp } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/app-config';
import { ObservationsRepository } from '../../src/drives/observations.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { eventually, Harness, startHarness, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { WebhookReceiver } from '../support/webhook-receiver';

const ENV = {
  SYNC_ENABLED: 'false',
  // Rounds are run by the test, both apps at once: the scheduled ones are ten minutes apart.
  ALERT_EVAL_INTERVAL_MS: '600000',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_BASE_MS: '300',
};

/**
 * slo_burn alerts decided by two evaluators on one database at the same time (what two replicas
 * do during a lease hand-over): a burst of failed drives fires one alert with one event, finished
 * drives after it resolve it once, and the events carry severity, page or ticket, burn rates and
 * the budget left. The two-process version is test/reliability/slo-burn-replicas.spec.ts.
 */
describe('slo_burn alerts with two evaluators', () => {
  let h: Harness;
  let other: NestFastifyApplication;
  let receiver: WebhookReceiver;
  let seq = 0;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    h = await startHarness({ env: ENV });
    const config = loadConfig({
      NODE_ENV: 'test',
      ZEGO_APP_ID: TEST_APP_ID,
      ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
      ZEGO_API_URL: 'http://127.0.0.1:9',
      DISCOVERY_INTERVAL_S: '0',
      API_OPEN: 'true',
      LOG_LEVEL: 'warn',
      ...ENV,
    });
    other = await createApp({
      config,
      databaseUrl: h.db.url,
      zego: {
        baseUrl: 'http://127.0.0.1:9',
        appId: TEST_APP_ID,
        serverSecret: TEST_SERVER_SECRET,
        ...config.zegoTuning,
      },
    });
    await other.init();
  });
  afterAll(async () => {
    await other.close();
    await h.close();
    await receiver.close();
  });

  const ended = async (taskId: string, status: 3 | 4, n: number) => {
    for (let i = 0; i < n; i++)
      await h.app.get(ObservationsRepository).applyObservation(taskId, [{ driveId: `burn-${++seq}`, status }], {
        at: new Date(),
        source: 'callback',
        complete: false,
      });
  };
  const bothEvaluate = () =>
    Promise.all([h.app.get(AlertEvaluatorService).evaluate(), other.get(AlertEvaluatorService).evaluate()]);
  const events = async (ruleId: string) =>
    (
      await h.db.query<{ type: string; body: string }>(
        `SELECT type, body FROM webhook_event WHERE body::jsonb -> 'alert' ->> 'ruleId' = $1 ORDER BY created_at`,
        [ruleId],
      )
    ).map((e) => ({ type: e.type, body: JSON.parse(e.body) }));

  it('fires once, with page and critical, and resolves once when no pair holds', async () => {
    await h.app.get(TasksRepository).trackTask('burn-task', 'manual');
    const hook = (await h.request('POST', '/webhooks', { body: { url: `${receiver.url}/burn` } })).body;
    const slo = (
      await h.request('POST', '/slos', { body: { name: 'burn', objective: 95, windowDays: 28, taskId: 'burn-task' } })
    ).body;
    const rule = (
      await h.request('POST', '/alert-rules', { body: { kind: 'slo_burn', sloId: slo.id, webhookIds: [hook.id] } })
    ).body;
    expect(rule).toMatchObject({ kind: 'slo_burn', sloId: slo.id });

    // Nothing ended yet: burn 0, nothing fires however often both look.
    await bothEvaluate();
    expect(await events(rule.id)).toEqual([]);

    // 2 failed, 2 finished: every window's bad share is 0.5, burn 10 at 95 %. Under 13.44 (the
    // 1-hour pair) but over 5.6 (the 6-hour pair): a page for the 6 h / 30 m pair.
    await ended('burn-task', 3, 2);
    await ended('burn-task', 4, 2);
    for (let i = 0; i < 3; i++) await bothEvaluate();
    const fired = await events(rule.id);
    expect(fired.map((e) => e.type)).toEqual(['alert.firing']);
    expect(fired[0].body.alert).toMatchObject({ kind: 'slo_burn', value: 10, threshold: 5.6 });
    expect(fired[0].body.slo).toEqual({
      id: slo.id,
      name: 'burn',
      objective: 95,
      windowDays: 28,
      severity: 'critical',
      action: 'page',
      window: { long: '6h', short: '30m' },
      burnRates: { '5m': 10, '30m': 10, '1h': 10, '6h': 10, '1d': 10, '3d': 10 },
      // 2 bad of 4 at 95 %: allowed 0.2, consumed 10, left -9.
      budgetRemaining: -9,
    });

    // 2 bad of 44: share 0.04545, burn 0.909, under the ticket's 0.933: no pair holds.
    await ended('burn-task', 4, 40);
    for (let i = 0; i < 3; i++) await bothEvaluate();
    const all = await events(rule.id);
    expect(all.map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    expect(all[1].body.slo).toMatchObject({ severity: null, action: null, window: null });
    expect(all[1].body.slo.burnRates['1h']).toBeCloseTo(0.9091, 4);
    expect(all[1].body.slo.budgetRemaining).toBeCloseTo(1 - 0.9091, 4);
    expect(all[1].body.alert.value).toBeCloseTo(0.9091, 4);

    // The receiver gets each event once.
    await eventually(() => receiver.events('alert.resolved', rule.id).length === 1, 20_000);
    expect(receiver.events('alert.firing', rule.id)).toHaveLength(1);
    const alerts = (await h.request('GET', '/alerts')).body.items;
    expect(alerts).toEqual([expect.objectContaining({ ruleId: rule.id, state: 'resolved', kind: 'slo_burn' })]);
  });

  it('warns (ticket) when only the slow pair holds', async () => {
    await h.app.get(TasksRepository).trackTask('ticket-task', 'manual');
    const slo = (await h.request('POST', '/slos', { body: { name: 'slow', objective: 95, taskId: 'ticket-task' } }))
      .body;
    const rule = (await h.request('POST', '/alert-rules', { body: { kind: 'slo_burn', sloId: slo.id } })).body;
    // 1 bad of 20: share 0.05, burn 1: over 0.933, under 5.6.
    await ended('ticket-task', 3, 1);
    await ended('ticket-task', 4, 19);
    await bothEvaluate();
    const [fired] = await events(rule.id);
    expect(fired.body.slo).toMatchObject({
      severity: 'warning',
      action: 'ticket',
      window: { long: '3d', short: '6h' },
    });
    expect(fired.body.alert.threshold).toBeCloseTo(0.9333, 4);
  });
});
