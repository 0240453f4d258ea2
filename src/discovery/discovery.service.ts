import { Injectable, Logger } from '@nestjs/common';
import { ID_PATTERN } from '../common/ids';
import { streamTaskStatus, upstreamCreateTime, upstreamText } from '../zego/upstream-fields';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { TasksRepository } from '../drives/tasks.repository';
import { ZegoClient } from '../zego/zego.client';
import { ZegoError } from '../zego/zego.errors';

/** Tracked tasks missing from the running list whose status is asked for, per round. */
const STATUS_CHECKS_PER_ROUND = 5;

interface UpstreamTask {
  TaskId?: unknown;
  RoomId?: unknown;
  StreamId?: unknown;
  Status?: unknown;
  CreateTime?: unknown;
}

/**
 * Every DISCOVERY_INTERVAL_S: lists the account's running stream tasks and tracks the ones not yet
 * known, records each task's stream status, and asks after tracked tasks that are no longer
 * listed (so a stop that no callback reported is still noticed). Its calls wait behind polls.
 */
@Injectable()
export class DiscoveryService {
  private readonly logger = new Logger(DiscoveryService.name);

  constructor(
    config: AppConfig,
    private readonly zego: ZegoClient,
    private readonly tasks: TasksRepository,
    duties: BackgroundDuties,
  ) {
    // Discovery calls the upstream: off with the sync, and on the lease holder only.
    if (!config.SYNC_ENABLED || config.DISCOVERY_INTERVAL_S === 0) return;
    duties.register({
      name: 'discovery',
      everyMs: config.DISCOVERY_INTERVAL_S * 1000,
      // The first round soon after start, once the lease has settled (about 1 s).
      firstAfterMs: 2500,
      run: () =>
        this.run().catch((err: Error) => {
          // Shutdown dropped the calls still waiting for their turn: nothing went wrong.
          if (!(err instanceof ZegoError && err.kind === 'stopped')) throw err;
        }),
    });
  }

  /** One discovery round; returns how many tasks it started tracking. */
  async run(): Promise<{ discovered: number; checked: number }> {
    const data = (await this.zego.call('QueryDigitalHumanStreamTasks', {}, { background: true })) as {
      TaskList?: unknown;
    };
    const list = Array.isArray(data?.TaskList) ? (data.TaskList as UpstreamTask[]) : [];
    const now = new Date();
    const listed = new Set<string>();
    let discovered = 0;
    for (const t of list) {
      if (typeof t.TaskId !== 'string' || !ID_PATTERN.test(t.TaskId)) continue;
      listed.add(t.TaskId);
      if (await this.tasks.discoverTask(t.TaskId)) {
        discovered += 1;
        this.logger.log(`discovered task ${t.TaskId}; tracking it`);
      }
      await this.tasks.recordTaskStatus(t.TaskId, {
        status: Number(t.Status) === 1 ? 1 : 3,
        at: now,
        roomId: upstreamText(t.RoomId),
        streamId: upstreamText(t.StreamId),
        upstreamCreatedAt: upstreamCreateTime(t.CreateTime),
      });
    }

    const unlisted = (await this.tasks.liveTrackedTasks(200))
      .filter((t) => !listed.has(t.taskId))
      .slice(0, STATUS_CHECKS_PER_ROUND);
    for (const { taskId } of unlisted) await this.checkStatus(taskId);
    return { discovered, checked: unlisted.length };
  }

  private async checkStatus(taskId: string): Promise<void> {
    try {
      const d = await this.zego.call('GetDigitalHumanStreamTaskStatus', { TaskId: taskId }, { background: true });
      const info = streamTaskStatus(d, new Date());
      if (info) await this.tasks.recordTaskStatus(taskId, info);
    } catch (err) {
      if (err instanceof ZegoError && err.kind === 'not_found') {
        // How a stop shows since 2025-11 (queries never say "stopped"): recorded as stopped, which
        // schedules one last look at its drives (a poll, or on callbacks a status check) that ends it.
        await this.tasks.recordTaskStatus(taskId, { status: 5, at: new Date() });
        this.logger.log(`task ${taskId} is no longer known upstream; one last look at its drives, then it ends`);
        return;
      }
      if (err instanceof ZegoError && err.kind === 'stopped') return;
      this.logger.warn(`task ${taskId}: status check failed: ${(err as Error).message}`);
    }
  }
}
