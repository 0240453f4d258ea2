import { alertPayload, AlertEventFields } from '../../src/alerts/alert-events';
import { defaultSeverity } from '../../src/alerts/alert-conditions';
import { formatRequest } from '../../src/webhooks/formats';
import { alertmanagerBody, alertmanagerUrl, alertName } from '../../src/webhooks/formats/alertmanager';
import { readNotification } from '../../src/webhooks/formats/notification';
import { pagerDutyBody } from '../../src/webhooks/formats/pagerduty';
import { slackBody } from '../../src/webhooks/formats/slack';
import { teamsBody } from '../../src/webhooks/formats/teams';
import { maskedKey } from '../../src/webhooks/webhooks.service';
import { alertmanagerProblems, pagerDutyProblems, slackProblems, teamsProblems } from '../support/format-rules';

const KEY = 'R0123456789abcdef0123456789ABCDE';
const PUBLIC = 'https://status.example.com/';
const fired = new Date('2026-11-30T10:00:00.000Z');
const resolvedAt = new Date('2026-11-30T10:05:00.000Z');

function alert(over: Partial<AlertEventFields> = {}): AlertEventFields {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    ruleId: '22222222-2222-4222-8222-222222222222',
    kind: 'consecutive_failures',
    taskId: 'task-7',
    value: 3,
    threshold: 3,
    firedAt: fired,
    resolvedAt: null,
    severity: 'critical',
    description: 'lobby avatar',
    ...over,
  };
}

/** An event body as the outbox stores it. */
function event(type: string, a: AlertEventFields | null, extra: Record<string, unknown> = {}, extras = {}) {
  return JSON.stringify({
    id: '33333333-3333-4333-8333-333333333333',
    type,
    createdAt: (a?.resolvedAt ?? fired).toISOString(),
    alert: a ? alertPayload(a, extras) : null,
    ...extra,
  });
}

const firing = (over: Partial<AlertEventFields> = {}, extra = {}, extras = {}) =>
  readNotification(event('alert.firing', alert(over), extra, extras), 'alert.firing', PUBLIC);
const resolved = (over: Partial<AlertEventFields> = {}) =>
  readNotification(event('alert.resolved', alert({ resolvedAt, ...over })), 'alert.resolved', PUBLIC);
const test = () => readNotification(event('webhook.test', null), 'webhook.test', undefined);

describe('webhook formats', () => {
  it('slack: text with alert, task, value and threshold; blocks within the limits; resolved says resolved', () => {
    const f = slackBody(firing()) as any;
    expect(slackProblems(f)).toEqual([]);
    expect(f.text).toMatch(/FIRING/);
    expect(f.text).toMatch(/task task-7/);
    expect(f.text).toMatch(/value 3, threshold 3/);
    expect(f.blocks[0].text.text).toMatch(/^Firing: Failed drives in a row/);
    const buttons = f.blocks.find((b: any) => b.type === 'actions').elements;
    expect(buttons[0].url).toBe('https://status.example.com/dashboard/tasks/task-7');

    const r = slackBody(resolved()) as any;
    expect(slackProblems(r)).toEqual([]);
    expect(r.text).toMatch(/RESOLVED/);
    expect(r.blocks[0].text.text).toMatch(/Resolved/);
    expect(JSON.stringify(r.blocks)).toMatch(/Resolved at/);
    expect(slackProblems(slackBody(test()))).toEqual([]);
  });

  it('slack: huge texts are cut to the limits, markup from users is escaped', () => {
    const long = slackBody(
      firing(
        { description: `<!channel> ${'x'.repeat(9000)}`, taskId: 't'.repeat(2500) },
        {},
        {
          details: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`d${i}`, 'y'.repeat(50)])),
        },
      ),
    ) as any;
    expect(slackProblems(long)).toEqual([]);
    expect(JSON.stringify(long.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(long.blocks)).toContain('&lt;!channel&gt;');
  });

  it('teams: a message with one Adaptive Card attachment; resolved in green', () => {
    const f = teamsBody(firing()) as any;
    expect(teamsProblems(f, JSON.stringify(f))).toEqual([]);
    const card = f.attachments[0].content;
    expect(card.body[0].color).toBe('Attention');
    expect(card.body[2].facts).toContainEqual({ title: 'Task', value: 'task-7' });
    expect(card.actions[0]).toEqual({
      type: 'Action.OpenUrl',
      title: 'Open task',
      url: 'https://status.example.com/dashboard/tasks/task-7',
    });
    const r = teamsBody(resolved()) as any;
    expect(teamsProblems(r, JSON.stringify(r))).toEqual([]);
    expect(r.attachments[0].content.body[0]).toMatchObject({ color: 'Good', text: expect.stringMatching(/^RESOLVED/) });
    const t = teamsBody(test()) as any;
    expect(teamsProblems(t, JSON.stringify(t))).toEqual([]);
  });

  it('pagerduty: trigger then resolve with one dedup_key, summary at most 1024, severity mapped', () => {
    const t = pagerDutyBody(firing(), KEY, PUBLIC) as any;
    expect(pagerDutyProblems(t)).toEqual([]);
    expect(t).toMatchObject({ routing_key: KEY, event_action: 'trigger', client: 'drive-status' });
    expect(t.payload).toMatchObject({ severity: 'critical', source: 'status.example.com', component: 'task-7' });
    expect(t.payload.custom_details).toMatchObject({ task_id: 'task-7', value: 3, threshold: 3 });
    expect(t.links[0].href).toBe('https://status.example.com/dashboard/tasks/task-7');
    const r = pagerDutyBody(resolved(), KEY, PUBLIC) as any;
    expect(pagerDutyProblems(r)).toEqual([]);
    expect(r).toEqual({ routing_key: KEY, event_action: 'resolve', dedup_key: t.dedup_key });
    // A reminder is a trigger with the same key (PagerDuty folds it into the open incident).
    expect((pagerDutyBody(firing({}, { reminder: 2 }), KEY, PUBLIC) as any).dedup_key).toBe(t.dedup_key);

    const unlinked = readNotification(
      event('alert.firing', alert({ description: 'z'.repeat(5000) })),
      'alert.firing',
      undefined,
    );
    const long = pagerDutyBody(unlinked, KEY, undefined) as any;
    expect(pagerDutyProblems(long)).toEqual([]);
    expect(long.payload.summary).toHaveLength(1024);
    expect(long.payload.source).toBe('drive-status');
    expect(long.links).toBeUndefined();
    for (const severity of ['warning', 'info'] as const) {
      expect((pagerDutyBody(firing({ severity }), KEY, PUBLIC) as any).payload.severity).toBe(severity);
    }
  });

  it('alertmanager: labels identify the alert, endsAt only on resolve, generatorURL to the dashboard', () => {
    const f = alertmanagerBody(firing());
    expect(alertmanagerProblems(f, '/api/v2/alerts')).toEqual([]);
    expect(f[0].labels).toEqual({
      alertname: 'DriveStatusConsecutiveFailures',
      kind: 'consecutive_failures',
      rule_id: alert().ruleId,
      task_id: 'task-7',
      severity: 'critical',
      service: 'drive-status',
    });
    expect(f[0].startsAt).toBe(fired.toISOString());
    expect(f[0]).not.toHaveProperty('endsAt');
    expect(f[0].generatorURL).toBe('https://status.example.com/dashboard/tasks/task-7');
    const r = alertmanagerBody(resolved());
    expect(alertmanagerProblems(r, '/api/v2/alerts')).toEqual([]);
    expect(r[0].labels).toEqual(f[0].labels);
    expect(r[0].endsAt).toBe(resolvedAt.toISOString());
    // A service-wide alert has no task_id label (an empty label is no label).
    const service = alertmanagerBody(firing({ taskId: null, kind: 'upstream' }));
    expect(service[0].labels).not.toHaveProperty('task_id');
    expect(service[0].generatorURL).toBe('https://status.example.com/dashboard#alerts-title');
    expect(alertmanagerProblems(alertmanagerBody(test()), '/api/v2/alerts')).toEqual([]);
    expect(alertName('slo_burn')).toBe('DriveStatusSloBurn');
    expect(alertmanagerUrl('http://am:9093')).toBe('http://am:9093/api/v2/alerts');
    expect(alertmanagerUrl('http://u:p@am:9093/prefix/')).toBe('http://u:p@am:9093/prefix/api/v2/alerts');
  });

  it("uses the event's own severity over the rule's, and shows its details", () => {
    const n = firing(
      { severity: 'warning', kind: 'slo_burn' },
      {},
      {
        severity: 'critical',
        details: { burnRate1h: 14.2, budgetLeft: 0.61, action: 'page' },
      },
    );
    expect(n.severity).toBe('critical');
    expect((pagerDutyBody(n, KEY, PUBLIC) as any).payload).toMatchObject({
      severity: 'critical',
      custom_details: { burnRate1h: 14.2, budgetLeft: 0.61, action: 'page' },
    });
    const am = alertmanagerBody(n);
    expect(am[0].labels).toMatchObject({ severity: 'critical' });
    expect(am[0].annotations).toMatchObject({ burnRate1h: '14.2', action: 'page' });
    expect(JSON.stringify(slackBody(n))).toContain(':red_circle: Critical');
    // Without one on the event, the rule's (stored on the event as alert.severity).
    expect(firing({ severity: 'info' }).severity).toBe('info');
  });

  it('defaults severities per kind', () => {
    expect(defaultSeverity('upstream')).toBe('critical');
    expect(defaultSeverity('consecutive_failures')).toBe('warning');
    expect(defaultSeverity('a_kind_added_later')).toBe('warning');
  });

  it('sends the stored body as it is for the signed format, the tool body and path for the others', () => {
    const body = event('alert.firing', alert());
    const ep = (format: string, url = 'http://127.0.0.1:9/hook') => ({ url, format, routingKey: KEY });
    expect(formatRequest(ep('signed'), { type: 'alert.firing', body }, PUBLIC)).toEqual({
      url: 'http://127.0.0.1:9/hook',
      body,
    });
    expect(formatRequest(ep('alertmanager', 'http://127.0.0.1:9'), { type: 'alert.firing', body }, PUBLIC).url).toBe(
      'http://127.0.0.1:9/api/v2/alerts',
    );
    expect(JSON.parse(formatRequest(ep('pagerduty'), { type: 'alert.firing', body }, PUBLIC).body).routing_key).toBe(
      KEY,
    );
    expect(maskedKey(KEY)).toBe('…BCDE');
    expect(maskedKey(null)).toBeNull();
  });
});
