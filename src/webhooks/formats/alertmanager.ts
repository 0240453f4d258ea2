import { clip, kindTitle, Notification, shownNumber, summaryLine } from './notification';

/** Where alerts go under an Alertmanager's base URL (API v2). */
export const ALERTMANAGER_PATH = '/api/v2/alerts';
/** How long a test alert stays active before Alertmanager resolves it by itself. */
const TEST_ALERT_MS = 5 * 60_000;

/** The POST target: the endpoint's URL is the Alertmanager's base (`http://alertmanager:9093`). */
export function alertmanagerUrl(base: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${ALERTMANAGER_PATH}`;
  return url.toString();
}

/** `consecutive_failures` → `DriveStatusConsecutiveFailures` (a valid, conventional alertname). */
export const alertName = (kind: string) =>
  `DriveStatus${kind
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}`;

/**
 * An array of one postable alert. The labels identify the alert (the same on every send, so
 * re-sends and the resolve land on it): alertname, kind, rule_id, task_id (absent for the
 * service), severity and service. endsAt is set once resolved; while firing it is left out, so
 * Alertmanager keeps the alert for its resolve_timeout after each (re-)send.
 */
export function alertmanagerBody(n: Notification, now = new Date()): Array<Record<string, unknown>> {
  const a = n.alert;
  if (!a) {
    return [
      {
        labels: { alertname: 'DriveStatusTest', severity: 'info', service: 'drive-status' },
        annotations: { summary: summaryLine(n) },
        startsAt: now.toISOString(),
        endsAt: new Date(now.getTime() + TEST_ALERT_MS).toISOString(),
        ...(n.links.alerts ? { generatorURL: n.links.alerts } : {}),
      },
    ];
  }
  const annotations: Record<string, string> = {
    summary: clip(summaryLine(n), 1024),
    title: kindTitle(a.kind),
    value: shownNumber(a.value),
    threshold: shownNumber(a.threshold),
    alert_id: a.id,
  };
  if (a.description) annotations.description = a.description;
  if (n.links.task) annotations.dashboard = n.links.task;
  for (const [k, v] of Object.entries(a.details)) {
    annotations[k.replace(/[^A-Za-z0-9_]/g, '_')] = typeof v === 'number' ? shownNumber(v) : String(v);
  }
  const generatorURL = n.links.task ?? n.links.alerts;
  return [
    {
      labels: {
        alertname: alertName(a.kind),
        kind: a.kind,
        rule_id: a.ruleId,
        ...(a.taskId ? { task_id: a.taskId } : {}),
        severity: n.severity,
        service: 'drive-status',
      },
      annotations,
      startsAt: a.firedAt,
      ...(n.state === 'resolved' ? { endsAt: a.resolvedAt ?? n.createdAt } : {}),
      ...(generatorURL ? { generatorURL } : {}),
    },
  ];
}
