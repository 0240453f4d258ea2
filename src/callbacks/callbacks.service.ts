import { Injectable, Logger } from '@nestjs/common';
import { ObservationsRepository } from '../drives/observations.repository';
import { TasksRepository } from '../drives/tasks.repository';
import { DRIVE_STATUS_NAMES, TASK_STATUS_NAMES } from '../zego/zego.types';
import { CallbackEvent } from './zego-callback';

/** Records verified ZEGO callbacks; returns only after the write has committed. */
@Injectable()
export class CallbacksService {
  private readonly logger = new Logger(CallbacksService.name);

  constructor(
    private readonly observations: ObservationsRepository,
    private readonly tasks: TasksRepository,
  ) {}

  async record(event: CallbackEvent): Promise<'recorded' | 'duplicate' | 'ignored'> {
    if (event.kind === 'drive') {
      const result = await this.observations.applyObservation(
        event.taskId,
        [{ driveId: event.driveId, status: event.status }],
        {
          at: event.eventTime ?? new Date(),
          source: 'callback',
          complete: false,
          ensureTask: 'callback',
        },
      );
      for (const r of result?.plan.regressions ?? []) {
        this.logger.debug(
          `task ${event.taskId} drive ${r.driveId}: callback says ${DRIVE_STATUS_NAMES[r.observed]} after ${DRIVE_STATUS_NAMES[r.stored]} (late or repeated); ignored`,
        );
      }
      return result?.plan.changes.length ? 'recorded' : 'duplicate';
    }
    if (event.kind === 'task') {
      await this.tasks.discoverTask(event.taskId, 'callback');
      const changed = await this.tasks.recordTaskStatus(event.taskId, {
        status: event.status,
        at: event.eventTime ?? new Date(),
        roomId: event.roomId,
        streamId: event.streamId,
        failReason: event.failReason,
      });
      if (changed && (event.status === 2 || event.status === 5)) {
        this.logger.log(
          `task ${event.taskId} is ${TASK_STATUS_NAMES[event.status]}: one last poll, then polling stops`,
        );
      }
      return changed ? 'recorded' : 'duplicate';
    }
    return 'ignored';
  }
}
