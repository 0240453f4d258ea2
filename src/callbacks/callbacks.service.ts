import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { CallbackReceipt, CallbackReceiptsRepository, ReceiptCheck } from '../drives/callback-receipts.repository';
import { ObservationsRepository } from '../drives/observations.repository';
import { TasksRepository, TaskStatusInfo } from '../drives/tasks.repository';
import { ZegoClient } from '../zego/zego.client';
import { ZegoError } from '../zego/zego.errors';
import { DRIVE_STATUS_NAMES, isTaskEnded, TASK_STATUS_NAMES } from '../zego/zego.types';
import { CallbackEvent } from './zego-callback';
import { streamTaskStatus } from '../zego/upstream-fields';

/**
 * `recorded`: applied; `duplicate`: this exact callback was applied before, or changes nothing;
 * `unconfirmed`: a stream task event the upstream contradicts (what the upstream says was recorded
 * instead); `ignored`: an event type we do not use; `reused`: a known signature with another body.
 * Every outcome but a failure to commit leaves the callback's receipt behind.
 */
export type CallbackOutcome = 'recorded' | 'duplicate' | 'unconfirmed' | 'ignored' | 'reused';

/** Records verified ZEGO callbacks; returns only after the write has committed. */
@Injectable()
export class CallbacksService {
  private readonly logger = new Logger(CallbacksService.name);

  constructor(
    private readonly observations: ObservationsRepository,
    private readonly tasks: TasksRepository,
    private readonly receipts: CallbackReceiptsRepository,
    private readonly zego: ZegoClient,
  ) {}

  async record(event: CallbackEvent, receipt: CallbackReceipt): Promise<CallbackOutcome> {
    if (event.kind === 'drive') {
      const result = await this.observations.applyCallback(
        event.taskId,
        [{ driveId: event.driveId, status: event.status }],
        { at: event.eventTime ?? new Date(), source: 'callback', complete: false, ensureTask: 'callback' },
        receipt,
      );
      if (result === 'duplicate' || result === 'reused') return result;
      for (const r of result?.plan.regressions ?? []) {
        this.logger.debug(
          `task ${event.taskId} drive ${r.driveId}: callback says ${DRIVE_STATUS_NAMES[r.observed]} after ${DRIVE_STATUS_NAMES[r.stored]} (late or repeated); ignored`,
        );
      }
      return result?.plan.changes.length ? 'recorded' : 'duplicate';
    }
    if (event.kind === 'task') return this.recordTaskEvent(event, receipt);
    // Not used, but verified: its signature is spent on this body like any other's.
    return (await this.receipts.claimAlone(receipt)) === 'reused' ? 'reused' : 'ignored';
  }

  /**
   * The receipt of a verified callback that is refused all the same (a 4xx: malformed, another
   * account's): `reused` when its signature already came with another body.
   */
  async keepReceipt(receipt: CallbackReceipt): Promise<ReceiptCheck> {
    return this.receipts.claimAlone(receipt);
  }

  /**
   * A stream task event. Two of them change what the service does for a long time: a task seen for
   * the first time starts being polled, and an ended task stops being polled. Those are confirmed
   * with GetDigitalHumanStreamTaskStatus first (inside the shared rate budget; they come once per
   * task), and what the upstream says is what is recorded. The other events are recorded as sent.
   */
  private async recordTaskEvent(
    event: Extract<CallbackEvent, { kind: 'task' }>,
    receipt: CallbackReceipt,
  ): Promise<CallbackOutcome> {
    const claimed: TaskStatusInfo = {
      status: event.status,
      at: event.eventTime ?? new Date(),
      roomId: event.roomId,
      streamId: event.streamId,
      failReason: event.failReason,
    };
    const known = (await this.tasks.getTask(event.taskId)) !== null;
    let info = claimed;
    let confirmed = true;
    if (!known || isTaskEnded(event.status)) {
      // A retry of an event already applied needs no second question to the upstream. Otherwise
      // the signature is held for this body while the upstream is asked: should that fail (503,
      // ZEGO retries), the signature cannot be reused meanwhile with another body.
      const seen = await this.receipts.hold(receipt);
      if (seen !== 'new') return seen;
      const upstream = await this.askUpstream(event.taskId);
      if (upstream === 'not_found') {
        // Gone upstream: consistent with an ended task, not with a new live one.
        if (!isTaskEnded(event.status)) {
          this.logger.warn(
            `task ${event.taskId}: callback says ${TASK_STATUS_NAMES[event.status]}, the upstream does not know the task; not recorded`,
          );
          return this.storeReceiptOnly(event.taskId, receipt);
        }
      } else if (upstream.status !== event.status) {
        this.logger.warn(
          `task ${event.taskId}: callback says ${TASK_STATUS_NAMES[event.status]}, the upstream says ${TASK_STATUS_NAMES[upstream.status]}; recorded the upstream's`,
        );
        info = upstream;
        confirmed = false;
      } else {
        info = { ...upstream, at: claimed.at };
      }
    }
    const { receipt: check, changed } = await this.tasks.recordTaskEvent(event.taskId, info, {
      create: !known,
      receipt,
    });
    if (check !== 'new') return check;
    if (changed && isTaskEnded(info.status)) {
      this.logger.log(`task ${event.taskId} is ${TASK_STATUS_NAMES[info.status]}: one last poll, then polling stops`);
    }
    if (!confirmed) return 'unconfirmed';
    return changed ? 'recorded' : 'duplicate';
  }

  /** The task's status as the upstream sees it now; 503 (ZEGO retries) when it cannot be asked. */
  private async askUpstream(taskId: string): Promise<TaskStatusInfo | 'not_found'> {
    let data: Record<string, unknown>;
    try {
      data = (await this.zego.call('GetDigitalHumanStreamTaskStatus', { TaskId: taskId })) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof ZegoError && err.kind === 'not_found') return 'not_found';
      this.logger.warn(
        `task ${taskId}: could not confirm a stream task event with the upstream: ${(err as Error).message}`,
      );
      throw new ServiceUnavailableException('the event could not be confirmed with ZEGO yet; send it again later');
    }
    const info = streamTaskStatus(data, new Date());
    if (!info) {
      throw new ServiceUnavailableException('the event could not be confirmed with ZEGO yet; send it again later');
    }
    return info;
  }

  /** An event that is not applied still binds its signature to its body. */
  private async storeReceiptOnly(taskId: string, receipt: CallbackReceipt): Promise<CallbackOutcome> {
    const check = await this.receipts.claimAlone(receipt);
    this.logger.debug(`task ${taskId}: receipt kept for an unconfirmed event`);
    return check === 'new' ? 'unconfirmed' : check;
  }
}
