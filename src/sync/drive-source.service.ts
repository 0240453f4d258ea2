import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { ZegoClient } from '../zego/zego.client';
import { isUnsupportedAction, ZegoError } from '../zego/zego.errors';

export type DriveSource = 'poll' | 'callbacks';

/** Refusals of GetDriveStatus in a row (any tasks) before `auto` stops asking. */
const REFUSALS_TO_SWITCH = 3;

/**
 * Where drive statuses come from. `poll`: GetDriveStatus (callbacks help when configured).
 * `callbacks`: GetDriveStatus is never called; drives are learnt from callbacks and producers,
 * tasks from discovery, callbacks and GetDigitalHumanStreamTaskStatus. `auto`: polls, and when
 * GetDriveStatus is refused as unsupported several times in a row while another action answers
 * with the same credentials, runs on callbacks, trying GetDriveStatus again every
 * DRIVE_SOURCE_PROBE_S (and polling again as soon as it answers).
 */
@Injectable()
export class DriveSourceService {
  private readonly logger = new Logger(DriveSourceService.name);
  private current: DriveSource;
  private why: string;
  private since = new Date();
  private refusals = 0;
  private nextProbeAt = 0;
  private switching?: Promise<boolean>;

  constructor(
    private readonly config: AppConfig,
    private readonly zego: ZegoClient,
    metrics: MetricsService,
  ) {
    const configured = config.DRIVE_STATUS_SOURCE;
    this.current = configured === 'callbacks' ? 'callbacks' : 'poll';
    this.why =
      configured === 'callbacks'
        ? 'DRIVE_STATUS_SOURCE=callbacks'
        : configured === 'poll'
          ? 'DRIVE_STATUS_SOURCE=poll'
          : 'auto: GetDriveStatus answers';
    const state = () => this.current;
    metrics.driveSource.readFrom((gauge) => {
      gauge.set({ mode: 'poll' }, state() === 'poll' ? 1 : 0);
      gauge.set({ mode: 'callbacks' }, state() === 'callbacks' ? 1 : 0);
    });
  }

  get mode(): DriveSource {
    return this.current;
  }

  get state() {
    return {
      mode: this.current,
      configured: this.config.DRIVE_STATUS_SOURCE,
      reason: this.why,
      since: this.since.toISOString(),
    };
  }

  /** `auto` on callbacks, and the next try of GetDriveStatus is due. */
  probeDue(now = Date.now()): boolean {
    return this.config.DRIVE_STATUS_SOURCE === 'auto' && this.current === 'callbacks' && now >= this.nextProbeAt;
  }

  /** Claims the due try of GetDriveStatus (for the caller's task). */
  takeProbe(now = Date.now()): boolean {
    if (!this.probeDue(now)) return false;
    this.nextProbeAt = now + this.config.DRIVE_SOURCE_PROBE_S * 1000;
    return true;
  }

  /** GetDriveStatus answered. */
  driveStatusAnswered(): void {
    this.refusals = 0;
    if (this.current === 'callbacks' && this.config.DRIVE_STATUS_SOURCE === 'auto') {
      this.set('poll', 'auto: GetDriveStatus answers again');
    }
  }

  /**
   * GetDriveStatus failed. Returns true when the service runs (or now switched to run) on
   * callbacks, so the caller should not treat the failure as the task's.
   */
  async driveStatusFailed(err: unknown, taskId: string): Promise<boolean> {
    if (this.config.DRIVE_STATUS_SOURCE !== 'auto') return false;
    if (!isUnsupportedAction(err)) {
      if (err instanceof ZegoError && err.kind !== 'stopped') this.refusals = 0;
      return this.current === 'callbacks';
    }
    if (this.current === 'callbacks') return true; // a probe was refused: stay
    this.refusals += 1;
    if (this.refusals < REFUSALS_TO_SWITCH) return false;
    this.switching ??= this.confirmOtherActions(taskId, (err as Error).message).finally(
      () => (this.switching = undefined),
    );
    return this.switching;
  }

  /** Switches only if the same credentials still get answers from another action. */
  private async confirmOtherActions(taskId: string, refusal: string): Promise<boolean> {
    try {
      await this.zego.call('GetDigitalHumanStreamTaskStatus', { TaskId: taskId });
    } catch (err) {
      // "Task not found" is an answer too: the credentials work, only GetDriveStatus is refused.
      if (!(err instanceof ZegoError && err.kind === 'not_found')) return false;
    }
    this.nextProbeAt = Date.now() + this.config.DRIVE_SOURCE_PROBE_S * 1000;
    this.set('callbacks', `auto: GetDriveStatus refused as unsupported (${refusal}); other actions answer`);
    return true;
  }

  private set(mode: DriveSource, reason: string): void {
    if (mode === this.current) return;
    this.current = mode;
    this.why = reason;
    this.since = new Date();
    this.refusals = 0;
    if (mode === 'callbacks') {
      this.logger.warn(
        `drive statuses now come from callbacks only: ${reason}. a drive whose callbacks are all lost keeps its last known status; GetDriveStatus is tried again every ${this.config.DRIVE_SOURCE_PROBE_S} s`,
      );
    } else {
      this.logger.log(`drive statuses come from polling again: ${reason}`);
    }
  }
}
