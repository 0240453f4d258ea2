import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
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
    const registers = [metrics.registry];
    new Gauge({
      name: 'drive_status_tracked_tasks',
      help: 'Tasks being tracked and not ended',
      registers,
      async collect() {
        this.set((await snapshot()).tracked);
      },
    });
    new Gauge({
      name: 'drive_status_sync_lag_seconds',
      help: 'How long the most overdue tracked task has been waiting for its poll (0 when none is due)',
      registers,
      async collect() {
        this.set((await snapshot()).lagSeconds);
      },
    });
    new Gauge({
      name: 'drive_status_drives',
      help: 'Drives of all tasks by current status',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const s = await snapshot();
        for (const status of ['queued', 'playing', 'failed', 'finished'] as const)
          this.set({ status }, s.drives[status]);
      },
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
