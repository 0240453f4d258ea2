import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { OutcomesRepository } from '../drives/outcomes.repository';

/**
 * Marks drives unresolved on the lease holder: those still queued or playing when their task has
 * ended, and those without news for DRIVE_STALE_AFTER_S. Without GetDriveStatus a drive whose
 * callbacks were all lost would otherwise stay "playing" for ever, counted as neither outcome.
 */
@Injectable()
export class UnresolvedSweeper {
  private readonly logger = new Logger(UnresolvedSweeper.name);

  constructor(
    private readonly config: AppConfig,
    private readonly outcomes: OutcomesRepository,
    duties: BackgroundDuties,
  ) {
    // Reads and writes the database only: it runs whether or not the sync calls the upstream.
    duties.register({
      name: 'unresolved-sweep',
      everyMs: Math.min(15_000, Math.max(1000, (config.DRIVE_STALE_AFTER_S * 1000) / 4)),
      run: () => this.sweep(),
    });
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
