import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { BackgroundLoop } from '../coordination/background-loop';
import { TasksRepository } from '../drives/tasks.repository';
import { ZegoClient } from '../zego/zego.client';
import { DriveSourceService } from './drive-source.service';
import { SyncService } from './sync.service';

const TICK_MS = 200;
const COOL_DOWN_MS = 5000;

/**
 * Decides which tasks to poll and hands them on; it never waits for a poll. Each tick takes the
 * most overdue tasks, as many as the upstream budget can serve in about two seconds, so a slow or
 * failing task holds only its own slot and every task gets its turn in order of need.
 */
@Injectable()
export class SyncScheduler {
  private readonly logger = new Logger(SyncScheduler.name);
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Tasks whose last result could not even be recorded (database trouble), and until when to skip them. */
  private readonly coolingDown = new Map<string, number>();
  /** Absent when SYNC_ENABLED=false: nothing then calls the upstream in the background. */
  private readonly loop?: BackgroundLoop;

  constructor(
    config: AppConfig,
    private readonly tasks: TasksRepository,
    private readonly sync: SyncService,
    private readonly zego: ZegoClient,
    private readonly source: DriveSourceService,
    duties: BackgroundDuties,
  ) {
    if (!config.SYNC_ENABLED) {
      this.logger.log('sync is switched off (SYNC_ENABLED=false): no polling; the other background duties run');
      return;
    }
    this.loop = duties.register({
      name: 'sync-scheduler',
      everyMs: TICK_MS,
      run: () => this.round(),
      // Shutdown, first step: drop the polls still waiting for an upstream slot (never sent, so
      // nothing to record); the ones already sent finish and commit (each bounded by the upstream
      // time-out) before the lease is released and the database pool closes.
      onStop: () => this.zego.stop(),
      drain: () => this.drain(),
    });
  }

  /** One scheduling round now, on the lease holder (tests drive the loop with it). */
  tick(): Promise<void> {
    return this.loop?.trigger() ?? Promise.resolve();
  }

  /** One scheduling round (a failure is logged by the loop); returns how many polls it started. */
  private async round(): Promise<number> {
    const room = this.zego.requestsPerSecond * 2 - this.inFlight.size;
    if (room <= 0) return 0;
    const now = Date.now();
    for (const [taskId, until] of this.coolingDown) if (until <= now) this.coolingDown.delete(taskId);
    const skip = [...this.inFlight.keys(), ...this.coolingDown.keys()];
    const due = await this.tasks.findDueTasks(new Date(now), room, skip);
    // Running on callbacks, the try of GetDriveStatus is taken by any live task, due or not.
    if (!due.length && this.source.probeDue(now)) {
      const [any] = await this.tasks.findDueTasks(new Date(now + 366 * 86_400_000), 1, skip);
      if (any) due.push(any);
    }
    for (const task of due) {
      const poll = this.sync
        .syncTask(task)
        .catch((err: Error) => {
          // Nothing was recorded, so the task is still due: without a pause it would be polled
          // again at once, spending upstream budget on answers we cannot store.
          this.coolingDown.set(task.taskId, Date.now() + COOL_DOWN_MS);
          this.logger.error(`task ${task.taskId}: could not record the poll: ${err.message}`);
        })
        .finally(() => this.inFlight.delete(task.taskId));
      this.inFlight.set(task.taskId, poll);
    }
    return due.length;
  }

  /** Waits until every poll started so far has finished (for tests and shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }
}
