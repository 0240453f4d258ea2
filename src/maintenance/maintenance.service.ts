import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SyncLease } from '../coordination/sync-lease.service';
import { MaintenanceRepository } from './maintenance.repository';

const EVERY_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Housekeeping, once a minute, on the replica that holds the sync lease (on every process when
 * sync is off: the work is safe to repeat): hours that are over get their cross-task duration
 * histograms folded into one row each.
 */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MaintenanceService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: MaintenanceRepository,
    private readonly lease: SyncLease,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if ((this.config.SYNC_ENABLED && !this.lease.held) || this.running) return;
      this.running = this.run()
        .catch((err: Error) => this.logger.warn(`maintenance failed: ${err.message}`))
        .finally(() => (this.running = undefined));
    }, EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round. The last full hour stays unfolded a while: late events still land in it. */
  async run(now = Date.now()): Promise<void> {
    const before = new Date(now - (now % HOUR_MS) - HOUR_MS);
    const folded = await this.repository.foldDurationHistograms(before);
    if (folded) this.logger.debug(`${folded} hourly duration histogram(s) folded`);
  }
}
