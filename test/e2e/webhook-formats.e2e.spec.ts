import { AlertRemindersService } from '../../src/alerts/alert-reminders.service';
import { verifyWebhook } from '../../src/webhooks/webhook-signature';
import { driveCallback } from '../support/callbacks';
import { alertmanagerProblems, pagerDutyProblems, slackProblems, teamsProblems } from '../support/format-rules';
import { eventually, Harness, startHarness } from '../support/harness';
import { Received, WebhookReceiver } from '../support/webhook-receiver';

/**
 * Each webhook format end to end: a rule's alert fires and resolves, and a local receiver per
 * tool checks what arrives by that tool's rules (answering 400 like the tool when they fail).
 */
const CALLBACK_SECRET = 'formats-callback-secret-1a2b3c4d';
const KEY = 'formats-api-key-000000000000001';
const ROUTING_KEY = 'R0123456789abcdef0123456789FMTS9';
const PUBLIC_URL = 'https://status.example.com';
const auth = { authorization: `Bearer ${KEY}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let driveSeq = 0;

describe('webhook formats', () => {
  let h: Harness;
  const rx = {
    signed: new WebhookReceiver(),
    slack: new WebhookReceiver(),
    teams: new WebhookReceiver(),
    pagerduty: new WebhookReceiver(),
    alertmanager: new WebhookReceiver(),
  };
  rx.slack.validate = (r) => slackProblems(r.body);
  rx.teams.validate = (r) => teamsProblems(r.body, r.raw);
  rx.pagerduty.validate = (r) => pagerDutyProblems(r.body);
  rx.alertmanager.validate = (r) => alertmanagerProblems(r.body, r.path);
  const api = (method: string, path: string, body?: unknown) => h.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    await Promise.all(Object.values(rx).map((r) => r.start()));
    h = await startHarness({
      env: {
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        API_KEYS: KEY,
        ALERT_EVAL_INTERVAL_MS: '300',
        WEBHOOK_RETRY_BASE_MS: '300',
        WEBHOOK_TIMEOUT_MS: '1000',
        // The receivers are on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        PUBLIC_URL,
      },
      simulator: { failureRate: 0 },
    });
  });
  afterAll(async () => {
    await h.close();
    await Promise.all(Object.values(rx).map((r) => r.close()));
  });

  async function trackedTask(): Promise<string> {
    const taskId = h.simulator.engine.createTask().taskId;
    expect((await api('PUT', `/tasks/${taskId}`)).status).toBe(201);
    return taskId;
  }

  /** One drive of the task, reported by signed callbacks, going through each status in turn. */
  async function drive(taskId: string, ...statuses: number[]): Promise<void> {
    const driveId = `format-drive-${++driveSeq}`;
    for (const status of statuses) {
      const res = await h.request('POST', '/callbacks/zego', {
        body: driveCallback(CALLBACK_SECRET, taskId, driveId, status),
      });
      expect(res.status).toBe(200);
    }
  }

  async function webhook(body: Record<string, unknown>) {
    const res = await api('POST', '/webhooks', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; format: string; routingKey: string | null };
  }

  async function rule(body: Record<string, unknown>) {
    const res = await api('POST', '/alert-rules', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; severity: string; repeatIntervalMinutes: number | null };
  }

  // A PagerDuty resolve names only its dedup_key: that receiver gets this one alert only.
  const about = (r: WebhookReceiver, taskId: string) =>
    r === rx.pagerduty ? r.received : r.received.filter((x) => x.raw.includes(taskId));
  const alertId = async (ruleId: string) =>
    (await h.db.query<{ id: string }>('SELECT id::text FROM alert WHERE rule_id = $1 AND open', [ruleId]))[0]?.id;

  it('refuses pagerduty without a routingKey, and bad formats, severities and intervals, with a 400 naming them', async () => {
    const url = `${rx.pagerduty.url}/v2/enqueue`;
    const cases: Array<[string, unknown, RegExp]> = [
      ['/webhooks', { url, format: 'pagerduty' }, /routingKey is required for the pagerduty format/],
      ['/webhooks', { url, format: 'pagerduty', routingKey: 'short' }, /routingKey must be 8-100/],
      ['/webhooks', { url, format: 'slack', routingKey: ROUTING_KEY }, /routingKey applies only to the pagerduty/],
      ['/webhooks', { url, format: 'opsgenie' }, /format must be one of signed, slack, teams, pagerduty, alertmanager/],
      ['/alert-rules', { kind: 'upstream', severity: 'page' }, /severity must be one of critical, warning, info/],
      ['/alert-rules', { kind: 'upstream', repeatIntervalMinutes: 0 }, /repeatIntervalMinutes must be a whole number/],
      [
        '/alert-rules',
        { kind: 'upstream', repeatIntervalMinutes: 2.5 },
        /repeatIntervalMinutes must be a whole number/,
      ],
    ];
    for (const [path, body, message] of cases) {
      const res = await api('POST', path, body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain(ROUTING_KEY);
    }
    expect((await api('GET', '/webhooks')).body.items).toEqual([]);
  });

  it('gives every rule a severity (a default per kind, settable, returned) and an optional repeat interval', async () => {
    const upstream = await rule({ kind: 'upstream' });
    expect(upstream).toMatchObject({ severity: 'critical', repeatIntervalMinutes: null });
    const lag = await rule({ kind: 'sync_lag', thresholdS: 600, severity: 'info', repeatIntervalMinutes: 30 });
    expect(lag).toMatchObject({ severity: 'info', repeatIntervalMinutes: 30 });
    const changed = await api('PATCH', `/alert-rules/${lag.id}`, { severity: 'warning', repeatIntervalMinutes: null });
    expect(changed.body).toMatchObject({ severity: 'warning', repeatIntervalMinutes: null });
    expect((await api('PATCH', `/alert-rules/${lag.id}`, { description: 'x' })).body).toMatchObject({
      severity: 'warning',
    });
    const cf = await rule({ kind: 'consecutive_failures', threshold: 5 });
    expect((await api('GET', `/alert-rules/${cf.id}`)).body.severity).toBe('warning');
    for (const r of [upstream, lag, cf]) await api('DELETE', `/alert-rules/${r.id}`);
  });

  it('sends each format by its tool’s rules, firing then resolved; the routing key never shows', async () => {
    const signed = await webhook({ url: `${rx.signed.url}/hook` });
    expect(signed).toMatchObject({ format: 'signed', routingKey: null });
    const slack = await webhook({ url: `${rx.slack.url}/services/T0/B0/x`, format: 'slack' });
    const teams = await webhook({ url: `${rx.teams.url}/workflows/x`, format: 'teams' });
    const pd = await webhook({ url: `${rx.pagerduty.url}/v2/enqueue`, format: 'pagerduty', routingKey: ROUTING_KEY });
    expect(pd).toMatchObject({ format: 'pagerduty', routingKey: '…MTS9' });
    const am = await webhook({ url: `${rx.alertmanager.url}/am`, format: 'alertmanager' });
    const ids = [signed, slack, teams, pd, am].map((w) => w.id);

    const taskId = await trackedTask();
    const r = await rule({ kind: 'consecutive_failures', threshold: 2, taskId, severity: 'critical', webhookIds: ids });
    await drive(taskId, 3);
    await drive(taskId, 3);

    const firstOf = (x: WebhookReceiver) => eventually(() => about(x, taskId)[0]);
    const [s, sl, tm, p, a] = await Promise.all(Object.values(rx).map(firstOf));
    for (const got of [sl, tm, p, a]) expect(got.problems).toEqual([]);

    // signed: the body of old, with the rule's severity, and its signature.
    expect(s.body).toMatchObject({ type: 'alert.firing', alert: { taskId, severity: 'critical', value: 2 } });
    expect(verifyWebhook(signed.secret, s.raw, s.headers['x-drive-status-signature'] as string)).toBe(true);
    // slack
    expect(sl.path).toBe('/services/T0/B0/x');
    expect(sl.body.text).toMatch(new RegExp(`FIRING.*critical.*task ${taskId}.*value 2, threshold 2`));
    expect(JSON.stringify(sl.body.blocks)).toContain(`${PUBLIC_URL}/dashboard/tasks/${taskId}`);
    // teams
    expect(tm.body.attachments[0].content.body[0]).toMatchObject({ color: 'Attention' });
    // pagerduty
    expect(p.path).toBe('/v2/enqueue');
    expect(p.body).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      payload: { severity: 'critical' },
    });
    // alertmanager: at <base>/api/v2/alerts, labels, no endsAt while firing.
    expect(a.path).toBe('/am/api/v2/alerts');
    expect(a.body[0].labels).toMatchObject({
      alertname: 'DriveStatusConsecutiveFailures',
      task_id: taskId,
      severity: 'critical',
    });
    expect(a.body[0]).not.toHaveProperty('endsAt');
    expect(a.body[0].generatorURL).toBe(`${PUBLIC_URL}/dashboard/tasks/${taskId}`);

    // The key is never shown back, nor logged.
    const shown = JSON.stringify([
      (await api('GET', '/webhooks')).body,
      (await api('GET', `/webhooks/${pd.id}`)).body,
      (await api('GET', `/webhooks/${pd.id}/deliveries`)).body,
      pd,
    ]);
    expect(shown).not.toContain(ROUTING_KEY);
    expect(shown).toContain('…MTS9');

    await drive(taskId, 4);
    const resolvedOf = (x: WebhookReceiver) => eventually(() => about(x, taskId)[1]);
    const [s2, sl2, tm2, p2, a2] = await Promise.all(Object.values(rx).map(resolvedOf));
    for (const got of [sl2, tm2, p2, a2]) expect(got.problems).toEqual([]);
    expect(s2.body).toMatchObject({ type: 'alert.resolved', alert: { id: s.body.alert.id } });
    expect(sl2.body.text).toMatch(/RESOLVED/);
    expect(sl2.body.blocks[0].text.text).toMatch(/Resolved/);
    expect(tm2.body.attachments[0].content.body[0]).toMatchObject({
      color: 'Good',
      text: expect.stringMatching(/RESOLVED/),
    });
    expect(p2.body).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: p.body.dedup_key });
    expect(a2.body[0].labels).toEqual(a.body[0].labels);
    expect(a2.body[0].startsAt).toBe(a.body[0].startsAt);
    expect(Date.parse(a2.body[0].endsAt)).toBeGreaterThanOrEqual(Date.parse(a.body[0].startsAt));

    // Every attempt was accepted by its receiver.
    for (const w of [slack, teams, pd, am]) {
      // (recorded just after the receiver answered)
      const attempts = await eventually(async () => {
        const items = (await api('GET', `/webhooks/${w.id}/deliveries`)).body.items;
        return items.length === 2 && items;
      });
      expect(attempts.map((x: any) => x.statusCode)).toEqual([204, 204]);
    }
    expect(h.logs.lines.join('\n')).not.toContain(ROUTING_KEY);
    await api('DELETE', `/alert-rules/${r.id}`);
    for (const id of ids) await api('DELETE', `/webhooks/${id}`);
  });

  it('re-sends a firing alert to Alertmanager (only) until it resolves', async () => {
    const am = await webhook({ url: `${rx.alertmanager.url}/am2`, format: 'alertmanager' });
    const slack = await webhook({ url: `${rx.slack.url}/resend`, format: 'slack' });
    const taskId = await trackedTask();
    const r = await rule({ kind: 'consecutive_failures', threshold: 1, taskId, webhookIds: [am.id, slack.id] });
    await drive(taskId, 3);
    const first = await eventually(() => about(rx.alertmanager, taskId)[0]);
    expect(first.body[0].labels.severity).toBe('warning');
    await eventually(() => about(rx.slack, taskId)[0]);
    const id = await alertId(r.id);
    const reminders = h.app.get(AlertRemindersService);

    // Not due yet: just sent.
    expect((await reminders.round()).resends).toBe(0);
    // Time passes: the last send is over 30 s old (and its delivery is on record: an endpoint
    // with an event still waiting gets no re-send).
    for (let n = 2; n <= 3; n++) {
      await eventually(async () => (await api('GET', `/webhooks/${am.id}`)).body.pending === 0);
      await h.db.query(`UPDATE alert SET resent_at = now() - interval '2 minutes' WHERE id = $1`, [id]);
      const again = await eventually(() => about(rx.alertmanager, taskId)[n - 1]);
      expect(again.problems).toEqual([]);
      expect(again.body[0].labels).toEqual(first.body[0].labels);
      expect(again.body[0].startsAt).toBe(first.body[0].startsAt);
      expect(again.body[0]).not.toHaveProperty('endsAt');
    }
    // The receiver has the last re-send before its attempt is on record (written once the answer is in).
    const types = await eventually(async () => {
      const items = (await api('GET', `/webhooks/${am.id}/deliveries`)).body.items;
      return items.length >= 3 && items.map((x: any) => x.type);
    });
    expect(types).toEqual(['alert.resend', 'alert.resend', 'alert.firing']);
    expect(about(rx.slack, taskId)).toHaveLength(1); // re-sends go to Alertmanager endpoints only

    await drive(taskId, 4);
    const resolved = await eventually(() => about(rx.alertmanager, taskId).find((x) => x.body[0].endsAt));
    expect(resolved.problems).toEqual([]);
    const count = about(rx.alertmanager, taskId).length;
    await h.db.query(`UPDATE alert SET resent_at = now() - interval '2 minutes' WHERE id = $1`, [id]);
    expect((await reminders.round()).resends).toBe(0);
    await sleep(1500); // a few rounds of the duty itself
    expect(about(rx.alertmanager, taskId)).toHaveLength(count);
    await api('DELETE', `/alert-rules/${r.id}`);
    for (const w of [am, slack]) await api('DELETE', `/webhooks/${w.id}`);
  });

  it('reminds every repeatIntervalMinutes while an alert fires, and stops once it resolves', async () => {
    const signed = await webhook({ url: `${rx.signed.url}/remind` });
    const slack = await webhook({ url: `${rx.slack.url}/remind`, format: 'slack' });
    const taskId = await trackedTask();
    const r = await rule({
      kind: 'consecutive_failures',
      threshold: 1,
      taskId,
      repeatIntervalMinutes: 5,
      webhookIds: [signed.id, slack.id],
    });
    await drive(taskId, 3);
    const first = await eventually(() => about(rx.signed, taskId)[0]);
    expect(first.body).not.toHaveProperty('reminder');
    const reminders = h.app.get(AlertRemindersService);
    expect((await reminders.round()).reminders).toBe(0); // 5 minutes have not passed

    const id = await alertId(r.id);
    await h.db.query(`UPDATE alert SET fired_at = fired_at - interval '6 minutes' WHERE id = $1`, [id]);
    const reminder: Received = await eventually(() => about(rx.signed, taskId)[1]);
    expect(reminder.body).toMatchObject({ type: 'alert.firing', reminder: 1, alert: { id: first.body.alert.id } });
    expect(verifyWebhook(signed.secret, reminder.raw, reminder.headers['x-drive-status-signature'] as string)).toBe(
      true,
    );
    const slackReminder = await eventually(() => about(rx.slack, taskId)[1]);
    expect(slackReminder.problems).toEqual([]);
    expect(slackReminder.body.text).toMatch(/STILL FIRING \(reminder 1\)/);
    // The next one is due 5 minutes after this one, not after the firing.
    expect((await reminders.round()).reminders).toBe(0);
    await h.db.query(`UPDATE alert SET reminded_at = reminded_at - interval '6 minutes' WHERE id = $1`, [id]);
    expect((await eventually(() => about(rx.signed, taskId)[2])).body.reminder).toBe(2);

    await drive(taskId, 4);
    await eventually(() => about(rx.signed, taskId).find((x) => x.body.type === 'alert.resolved'));
    await h.db.query(`UPDATE alert SET reminded_at = now() - interval '1 day' WHERE id = $1`, [id]);
    expect((await reminders.round()).reminders).toBe(0);
    expect(about(rx.signed, taskId)).toHaveLength(4);
    await api('DELETE', `/alert-rules/${r.id}`);
    for (const w of [signed, slack]) await api('DELETE', `/webhooks/${w.id}`);
  });
});
