import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ObservationsRepository } from '../drives/observations.repository';
import { DueTask, TasksRepository } from '../drives/tasks.repository';
import { streamTaskStatus } from '../zego/upstream-fields';
import { DRIVE_STATUS_NAMES } from '../zego/zego.types';
import { DriveSourceService } from './drive-source.service';
import { ZegoClient } from '../zego/zego.client';
import { ZegoError } from '../zego/zego.errors';

export type SyncOutcome = 'changed' | 'unchanged' | 'ended' | 'failed' | 'gone' | 'dropped' | 'checked';

/** Running on callbacks, a task's status is checked at most this often (discovery and callbacks also report it). */
const TASK_CHECK_MIN_MS = 60_000;

/** Polls one task's drives upstream and records what changed. */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);

  constructor(
    private readonly zego: ZegoClient,
    private readonly tasks: TasksRepository,
    private readonly observations: ObservationsRepository,
    private readonly config: AppConfig,
    private readonly source: DriveSourceService,
  ) {
    // Tasks that failed during an outage wait out their backoff; once the upstream answers again,
    // poll them all at once so the record converges within a sweep instead of a backoff period.
    zego.onRecovery(() => {
      void this.tasks
        .pollFailingTasksNow()
        .then((n) => n && this.logger.log(`upstream recovered: ${n} tasks whose polls had failed are due again`))
        .catch((err: Error) => this.logger.warn(`could not reschedule failing tasks: ${err.message}`));
    });
  }

  async syncTask(task: DueTask): Promise<SyncOutcome> {
    const probing = this.source.takeProbe();
    if (this.source.mode === 'callbacks' && !probing) return this.checkTask(task);
    const startedAt = new Date();
    let drives;
    try {
      drives = await this.zego.getDriveStatus(task.taskId, { quiet: probing });
      this.source.driveStatusAnswered();
    } catch (err) {
      // Dropped at shutdown before it was sent: nothing happened, nothing to record.
      if (err instanceof ZegoError && err.kind === 'stopped') return 'dropped';
      if (await this.source.driveStatusFailed(err, task.taskId)) return this.checkTask(task);
      return this.recordFailure(task, err);
    }
    const now = Date.now();
    const result = await this.observations.applyObservation(task.taskId, drives, {
      at: new Date(now),
      source: 'poll',
      complete: true,
      startedAt,
      nextPoll: {
        active: new Date(now + this.config.POLL_INTERVAL_MS),
        idle: new Date(now + this.config.IDLE_POLL_INTERVAL_MS),
      },
    });
    if (!result) return 'gone';
    for (const r of result.plan.regressions) {
      this.logger.warn(
        `task ${task.taskId} drive ${r.driveId}: upstream reports ${DRIVE_STATUS_NAMES[r.observed]} after ${DRIVE_STATUS_NAMES[r.stored]}; ignored`,
      );
    }
    return result.plan.changes.length ? 'changed' : 'unchanged';
  }

  /**
   * Running on callbacks: no GetDriveStatus. The task's own status still comes from the upstream,
   * so a stopped task ends (callbacks may have been lost); its drives come from callbacks.
   */
  private async checkTask(task: DueTask): Promise<SyncOutcome> {
    const now = Date.now();
    let data: Record<string, unknown>;
    try {
      data = (await this.zego.call('GetDigitalHumanStreamTaskStatus', { TaskId: task.taskId })) as Record<
        string,
        unknown
      >;
    } catch (err) {
      if (err instanceof ZegoError && err.kind === 'stopped') return 'dropped';
      return this.recordFailure(task, err);
    }
    const info = streamTaskStatus(data, new Date(now));
    if (!info) {
      return this.recordFailure(
        task,
        new ZegoError('GetDigitalHumanStreamTaskStatus', 'transient', 'malformed answer: no known Status'),
      );
    }
    await this.tasks.recordTaskCheck(
      task.taskId,
      info,
      new Date(now + Math.max(TASK_CHECK_MIN_MS, this.config.IDLE_POLL_INTERVAL_MS)),
    );
    return 'checked';
  }

  private async recordFailure(task: DueTask, err: unknown): Promise<SyncOutcome> {
    const now = Date.now();
    if (err instanceof ZegoError && err.kind === 'not_found') {
      this.logger.log(`task ${task.taskId} is no longer known upstream; marked ended, polling stops`);
      await this.tasks.markEnded(task.taskId, new Date(now), err.message);
      return 'ended';
    }
    const message = err instanceof ZegoError ? err.message : 'GetDriveStatus: unexpected error';
    if (!(err instanceof ZegoError)) this.logger.error(`task ${task.taskId}: ${(err as Error)?.stack ?? String(err)}`);
    const delay = retryDelay(task.failureStreak + 1, this.config.POLL_INTERVAL_MS, this.config.MAX_RETRY_DELAY_MS);
    this.logger.warn(`task ${task.taskId}: ${message}; next try in ${Math.round(delay / 1000)} s`);
    await this.tasks.recordSyncFailure(task.taskId, message, new Date(now + delay));
    return 'failed';
  }
}

/** Exponential backoff with jitter: about base·2^(streak-1), capped, never below base. */
export function retryDelay(streak: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(streak - 1, 30));
  return Math.max(baseMs, Math.round(ceiling * (0.5 + random() / 2)));
}
