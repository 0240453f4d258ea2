import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { CallbackReceiptsRepository } from '../drives/callback-receipts.repository';

const INTERVAL_NAME = 'callback-receipts-cleanup';
const EVERY_MS = 60_000;

/**
 * Deletes callback receipts once their Timestamp is too old to be accepted again (the table then
 * holds about twelve minutes of callbacks). Every replica runs it: the delete is idempotent and
 * cheap (an index on sent_at), so no lease is needed.
 */
@Injectable()
export class ReceiptsCleanupService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReceiptsCleanupService.name);
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly receipts: CallbackReceiptsRepository,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.ZEGO_CALLBACK_SECRET) return;
    const tick = () => {
      this.running ??= this.run()
        .catch((err: Error) => this.logger.warn(`could not delete expired callback receipts: ${err.message}`))
        .finally(() => (this.running = undefined));
    };
    this.registry.addInterval(INTERVAL_NAME, setInterval(tick, EVERY_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  /** One pass; returns how many receipts were deleted. */
  async run(now = new Date()): Promise<number> {
    const deleted = await this.receipts.deleteExpired(now);
    if (deleted) this.logger.debug(`deleted ${deleted} expired callback receipts`);
    return deleted;
  }
}
