import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { AlertsRepository } from './alerts.repository';

const INTERVAL_NAME = 'alert-retention';
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
 * and firing alerts stay whatever their age. Every replica may run it: each delete is idempotent.
 */
@Injectable()
export class AlertRetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertRetentionService.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly alerts: AlertsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running ??= this.runRetention()
        .catch((err: Error) => this.logger.warn(`alert retention failed: ${err.message}`))
        .finally(() => (this.running = undefined));
    };
    this.registry.addInterval(INTERVAL_NAME, setInterval(tick, EVERY_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
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
