import { Injectable } from '@nestjs/common';
import { StatusSnapshot, TasksRepository } from '../drives/tasks.repository';
import { MetricsService } from '../metrics/metrics.service';

const FRESH_MS = 500;

/**
 * The sync's state read from the database (tracked tasks, sync lag, drives by status): one read
 * shared by everything that asks within half a second (/status, the scrape's gauges, the alert evaluator).
 */
@Injectable()
export class StatusService {
  private pending?: Promise<StatusSnapshot>;
  private cached?: { at: number; value: StatusSnapshot };

  constructor(
    private readonly tasks: TasksRepository,
    metrics: MetricsService,
  ) {
    const snapshot = () => this.snapshot();
    metrics.trackedTasks.readFrom(async (gauge) => gauge.set((await snapshot()).tracked));
    metrics.syncLag.readFrom(async (gauge) => gauge.set((await snapshot()).lagSeconds));
    metrics.drives.readFrom(async (gauge) => {
      const s = await snapshot();
      for (const status of ['queued', 'playing', 'failed', 'finished'] as const)
        gauge.set({ status }, s.drives[status]);
    });
  }

  async snapshot(): Promise<StatusSnapshot> {
    if (this.cached && Date.now() - this.cached.at < FRESH_MS) return this.cached.value;
    this.pending ??= this.tasks
      .statusSnapshot()
      .then((value) => {
        this.cached = { at: Date.now(), value };
        return value;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}
