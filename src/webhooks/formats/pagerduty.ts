import { clip, kindTitle, Notification, summaryLine } from './notification';

/** PagerDuty's limits (Events API v2). */
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255 };

/** Our severities are a subset of PagerDuty's (critical, error, warning, info). */
const PD_SEVERITY = { critical: 'critical', warning: 'warning', info: 'info' } as const;

/** One incident per alert: every trigger (first, reminders) and the resolve share this key. */
export const dedupKey = (n: Notification) =>
  clip(n.alert ? `drive-status/alert/${n.alert.id}` : `drive-status/test/${n.eventId}`, PAGERDUTY_LIMITS.dedupKey);

/**
 * An Events API v2 event: `trigger` while firing (PagerDuty folds repeats with the same
 * dedup_key into the open incident), `resolve` once resolved. A test event triggers an `info`
 * incident of its own, to be resolved by hand.
 */
export function pagerDutyBody(
  n: Notification,
  routingKey: string,
  publicUrl: string | undefined,
): Record<string, unknown> {
  if (n.state === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey(n) };
  const a = n.alert;
  const links = [
    ...(n.links.task ? [{ href: n.links.task, text: 'Task in the drive-status dashboard' }] : []),
    ...(n.links.alerts ? [{ href: n.links.alerts, text: 'Firing alerts' }] : []),
  ];
  const base = publicUrl?.replace(/\/+$/, '');
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(n),
    payload: {
      summary: clip(summaryLine(n), PAGERDUTY_LIMITS.summary),
      source: base ? new URL(base).host : 'drive-status',
      severity: a ? PD_SEVERITY[n.severity] : 'info',
      timestamp: a?.firedAt ?? n.createdAt,
      component: a ? (a.taskId ?? 'service') : 'webhook',
      group: 'drive-status',
      class: a ? a.kind : 'test',
      custom_details: a
        ? {
            alert: kindTitle(a.kind),
            alert_id: a.id,
            rule_id: a.ruleId,
            kind: a.kind,
            task_id: a.taskId,
            value: a.value,
            threshold: a.threshold,
            fired_at: a.firedAt,
            ...(a.description ? { description: a.description } : {}),
            ...(n.reminder ? { reminder: n.reminder } : {}),
            ...a.details,
          }
        : { event_id: n.eventId },
    },
    client: 'drive-status',
    ...(base ? { client_url: `${base}/dashboard` } : {}),
    ...(links.length ? { links } : {}),
  };
}
