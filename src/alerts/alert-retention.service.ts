import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { AlertsRepository } from './alerts.repository';

const EVERY_MS = 3600_000;

export interface RetentionResult {
  deliveries: number;
  events: number;
  alerts: number;
  silences: number;
}

/**
 * Keeps the alerting tables bounded: after ALERT_RETENTION_DAYS, finished webhook deliveries (with
 * their attempts and events), resolved alerts and ended silences are deleted. Pending deliveries
 * and firing alerts stay whatever their age. A fleet duty (on the lease holder); each delete is
 * idempotent, so a pass cut short is finished by the next.
 */
@Injectable()
export class AlertRetentionService {
  private readonly logger = new Logger(AlertRetentionService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly alerts: AlertsRepository,
    private readonly webhooks: WebhooksRepository,
    duties: BackgroundDuties,
  ) {
    duties.register({ name: 'alert-retention', everyMs: EVERY_MS, run: () => this.runRetention() });
  }

  /** One pass; returns what it deleted. */
  async runRetention(now = new Date()): Promise<RetentionResult> {
    const cutoff = new Date(now.getTime() - this.config.ALERT_RETENTION_DAYS * 86_400_000);
    const outbox = await this.webhooks.deleteFinishedBefore(cutoff);
    const ended = await this.alerts.deleteEndedBefore(cutoff);
    const result = { ...outbox, ...ended };
    if (Object.values(result).some((n) => n > 0)) {
      this.logger.log(
        `retention (${this.config.ALERT_RETENTION_DAYS} days): deleted ${result.deliveries} deliveries, ` +
          `${result.events} events, ${result.alerts} resolved alerts, ${result.silences} silences`,
      );
    }
    return result;
  }
}
