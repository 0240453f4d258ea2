import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SyncLease } from '../coordination/sync-lease.service';
import { OutcomesRepository } from '../drives/outcomes.repository';

/**
 * Marks drives unresolved on the lease holder: those still queued or playing when their task has
 * ended, and those without news for DRIVE_STALE_AFTER_S. Without GetDriveStatus a drive whose
 * callbacks were all lost would otherwise stay "playing" for ever, counted as neither outcome.
 */
@Injectable()
export class UnresolvedSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UnresolvedSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly config: AppConfig,
    private readonly outcomes: OutcomesRepository,
    private readonly lease: SyncLease,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.SYNC_ENABLED) return;
    const every = Math.min(15_000, Math.max(1000, (this.config.DRIVE_STALE_AFTER_S * 1000) / 4));
    this.timer = setInterval(() => {
      if (!this.lease.held || this.running) return;
      this.running = this.sweep()
        .catch((err: Error) => {
          this.logger.warn(`marking unresolved drives failed: ${err.message}`);
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, every);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; returns how many drives it marked. */
  async sweep(now = new Date()): Promise<number> {
    const marked = await this.outcomes.markUnresolved(
      now,
      new Date(now.getTime() - this.config.DRIVE_STALE_AFTER_S * 1000),
    );
    if (marked) this.logger.log(`${marked} drive(s) marked unresolved (task ended, or no news for too long)`);
    return marked;
  }
}
