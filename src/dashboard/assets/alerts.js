// @ts-check
// The overview's firing alerts (with a "Silence 1 h" button for admin keys) and the webhook
// endpoints that carry them.
import { emptyBody, show, taskCell, text } from './dom.js';
import { alertThreshold, alertValue, when } from './format.js';
import { HOUR } from './range.js';
import { can } from './scope.js';
import { act } from './status.js';

/** @typedef {import('../../../client/schema').components['schemas']} Schemas */
/** @typedef {Schemas['AlertView']} AlertView */
/** @typedef {Schemas['WebhookView']} WebhookView */
/** @typedef {Schemas['SilenceView']} SilenceView */
/** @typedef {Schemas['CreateSilenceBody']} CreateSilenceBody */

/**
 * The silence (already begun) that mutes an alert's events, if any.
 * @param {AlertView} alert
 * @param {SilenceView[]} silences
 */
function silenceOf(alert, silences) {
  const now = Date.now();
  return silences.find(
    (s) =>
      (!s.ruleId || s.ruleId === alert.ruleId) &&
      (!s.taskId || s.taskId === alert.taskId) &&
      new Date(s.startsAt).getTime() <= now,
  );
}

/**
 * Admin keys only: silence a firing alert for an hour (its events are not delivered meanwhile).
 * @param {AlertView} alert
 * @param {SilenceView[]} silences
 */
function silenceCell(alert, silences) {
  const td = text('td', '');
  td.dataset.needs = 'admin';
  td.hidden = !can('admin');
  if (td.hidden) return td;
  const silence = silenceOf(alert, silences);
  if (silence) {
    td.textContent = 'silenced until ' + when(silence.endsAt);
    return td;
  }
  const button = text('button', 'Silence 1 h', 'silence');
  button.type = 'button';
  button.addEventListener('click', () => {
    button.disabled = true;
    /** @type {CreateSilenceBody} */
    const body = {
      ruleId: alert.ruleId,
      taskId: alert.taskId || undefined,
      endsAt: new Date(Date.now() + HOUR).toISOString(),
      reason: 'silenced for 1 h from the dashboard',
    };
    void act('POST', '/silences', body);
  });
  td.append(button);
  return td;
}

/**
 * The firing alerts and the webhook endpoints, each table with a note instead when empty.
 * @param {AlertView[]} alerts
 * @param {WebhookView[]} webhooks
 * @param {SilenceView[]} silences
 */
export function showAlerts(alerts, webhooks, silences) {
  const body = emptyBody('alerts');
  for (const a of alerts) {
    const tr = document.createElement('tr');
    tr.dataset.alertId = a.id;
    tr.append(
      text('td', a.kind.replace(/_/g, ' '), 'failed'),
      a.taskId ? taskCell(a.taskId) : text('td', 'whole service'),
      text('td', alertValue(a.kind, a.value), 'num'),
      text('td', alertThreshold(a.kind, a.threshold), 'num'),
      text('td', when(a.firedAt)),
      silenceCell(a, silences),
    );
    body.append(tr);
  }
  show('alerts-empty', alerts.length === 0);
  show('alerts-box', alerts.length > 0);

  const hooks = emptyBody('webhooks');
  for (const w of webhooks) {
    const tr = document.createElement('tr');
    tr.dataset.webhookId = w.id;
    const failing = w.state === 'failing';
    tr.append(
      text('td', w.description || w.id),
      text('td', failing ? 'failing since ' + when(w.failingSince) : 'healthy', failing ? 'failed' : 'finished'),
      text('td', w.pending, 'num'),
      text('td', when(w.lastDeliveredAt)),
    );
    hooks.append(tr);
  }
  show('webhooks-empty', webhooks.length === 0);
  show('webhooks-box', webhooks.length > 0);
}
