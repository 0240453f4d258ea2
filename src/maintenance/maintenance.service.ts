import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { MaintenanceRepository } from './maintenance.repository';

const EVERY_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The same day `months` months on, UTC (the first of a month is enough to name it). */
function addMonths(t: number, months: number): Date {
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/**
 * Housekeeping, once a minute, on the replica that holds the fleet lease: drive_history's month partitions are made two months
 * ahead, months older than HISTORY_RETENTION_DAYS are dropped, and hours that are over get their
 * cross-task duration histograms folded into one row each. Partitions are also made at start-up,
 * before the first write, on every replica.
 */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly repository: MaintenanceRepository,
    duties: BackgroundDuties,
  ) {
    duties.register({ name: 'maintenance', everyMs: EVERY_MS, run: () => this.run() });
  }

  async onApplicationBootstrap(): Promise<void> {
    // A database that cannot be reached now is not a reason not to start: the next round retries,
    // and rows meanwhile outside every month land in the default partition.
    await this.ensurePartitions().catch((err: Error) =>
      this.logger.warn(`could not make history partitions yet: ${err.message}`),
    );
  }

  /** One round. The last full hour stays unfolded a while: late events still land in it. */
  async run(now = Date.now()): Promise<void> {
    await this.ensurePartitions(now);
    const days = this.config.HISTORY_RETENTION_DAYS;
    if (days) {
      const dropped = await this.repository.dropHistoryBefore(new Date(now - days * DAY_MS));
      if (dropped.length)
        this.logger.log(`history older than ${days} days dropped: ${dropped.join(', ')} (aggregates kept)`);
    }
    const stray = await this.repository.strayHistoryRows();
    if (stray) this.logger.warn(`${stray} history row(s) outside every month partition (drive_history_default)`);
    const before = new Date(now - (now % HOUR_MS) - HOUR_MS);
    const folded = await this.repository.foldDurationHistograms(before);
    if (folded) this.logger.debug(`${folded} hourly duration histogram(s) folded`);
  }

  /** This month's partition of drive_history and the next two. */
  private async ensurePartitions(now = Date.now()): Promise<void> {
    const made = await this.repository.ensureHistoryPartitions([0, 1, 2].map((m) => addMonths(now, m)));
    if (made.length) this.logger.log(`history partitions made for ${made.join(', ')}`);
  }
}
