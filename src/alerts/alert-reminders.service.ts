import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { WebhookDeliveryService } from '../webhooks/webhook-delivery.service';
import { AlertRemindersRepository } from './alert-reminders.repository';

/**
 * Alertmanager drops a firing alert that is not sent again within its resolve_timeout (5 minutes
 * by default) and Prometheus re-sends every minute; we re-send every 30 s, so an alert is re-sent
 * at least once a minute even when a delivery takes a retry.
 */
export const RESEND_EVERY_MS = 30_000;

/**
 * Notifies alerts that keep firing: the rule's reminders (repeatIntervalMinutes) and the
 * Alertmanager re-sends. A duty of the fleet lease holder, so one replica sends them; the
 * database claims each one, so even overlapping holders queue it once.
 */
@Injectable()
export class AlertRemindersService {
  constructor(
    config: AppConfig,
    private readonly reminders: AlertRemindersRepository,
    private readonly delivery: WebhookDeliveryService,
    duties: BackgroundDuties,
  ) {
    duties.register({
      name: 'alert-reminders',
      everyMs: Math.max(1000, config.ALERT_EVAL_INTERVAL_MS),
      run: () => this.round(),
    });
  }

  /** One pass over the firing alerts. Public for tests; returns what it queued. */
  async round(now = new Date()): Promise<{ reminders: number; resends: number }> {
    const counts = { reminders: 0, resends: 0 };
    if (!(await this.reminders.anyOpen())) return counts;
    const open = (await this.reminders.openAlerts()).filter((a) => a.rule.enabled);
    if (!open.length) return counts;
    const alertmanagers = await this.reminders.endpointsOfFormat('alertmanager');
    for (const a of open) {
      const repeatMs = (a.rule.repeatIntervalMinutes ?? 0) * 60_000;
      if (repeatMs && now.getTime() - (a.remindedAt ?? a.firedAt).getTime() >= repeatMs) {
        if ((await this.reminders.remind(a, repeatMs, now)) !== null) counts.reminders++;
      }
      const targets = a.rule.webhookIds.filter((id) => alertmanagers.has(id));
      if (targets.length && now.getTime() - (a.resentAt ?? a.firedAt).getTime() >= RESEND_EVERY_MS) {
        if (await this.reminders.resend(a, targets, RESEND_EVERY_MS, now)) counts.resends++;
      }
    }
    if (counts.reminders || counts.resends) this.delivery.kick();
    return counts;
  }
}
