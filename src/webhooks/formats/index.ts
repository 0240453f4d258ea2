import { alertmanagerBody, alertmanagerUrl } from './alertmanager';
import { readNotification, WebhookFormat } from './notification';
import { pagerDutyBody } from './pagerduty';
import { slackBody } from './slack';
import { teamsBody } from './teams';

/** What one delivery attempt sends: where, and the exact body. */
export interface FormattedRequest {
  url: string;
  body: string;
}

/**
 * The request for one delivery, decided at send time from the stored event and the endpoint's
 * format: the signed format sends the stored body as it is (what its signature covers); the
 * others build their tool's body from it. Pure.
 */
export function formatRequest(
  endpoint: { url: string; format: string; routingKey: string | null },
  event: { type: string; body: string },
  publicUrl: string | undefined,
): FormattedRequest {
  const format = endpoint.format as WebhookFormat;
  if (format === 'signed') return { url: endpoint.url, body: event.body };
  let n: ReturnType<typeof readNotification>;
  try {
    n = readNotification(event.body, event.type, publicUrl);
  } catch {
    // Not an event body this version can read: sent as stored rather than stuck in the outbox.
    return { url: endpoint.url, body: event.body };
  }
  switch (format) {
    case 'slack':
      return { url: endpoint.url, body: JSON.stringify(slackBody(n)) };
    case 'teams':
      return { url: endpoint.url, body: JSON.stringify(teamsBody(n)) };
    case 'pagerduty':
      return { url: endpoint.url, body: JSON.stringify(pagerDutyBody(n, endpoint.routingKey ?? '', publicUrl)) };
    case 'alertmanager':
      return { url: alertmanagerUrl(endpoint.url), body: JSON.stringify(alertmanagerBody(n)) };
    default:
      // A format this version does not know (written by a newer one): sent as signed.
      return { url: endpoint.url, body: event.body };
  }
}
