import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';
import { sql, statement } from '../database/sql';
import type { Prisma, Task } from '../generated/prisma/client';
import { CallbackReceipt, CallbackReceiptsRepository, ReceiptCheck } from './callback-receipts.repository';
import { isTaskEnded, TASK_STATUS, TaskStatusCode } from '../zego/zego.types';
import { DriveCounts, TASK_SELECT, TaskRow } from './drive-rows';

export type DueTask = Pick<Task, 'taskId' | 'failureStreak'>;

export interface StatusSnapshot {
  tracked: number;
  lagSeconds: number;
  drives: DriveCounts;
}

/** Stream task statuses in the order a task goes through them; the ended ones (2, 5) share the last rank. */
const TASK_STATUS_RANK: Record<TaskStatusCode, number> = { 1: 0, 3: 1, 4: 2, 2: 3, 5: 3 };

const live = { tracking: true, endedAt: null } as const;

/** The scheduler's lookup: tracked, live tasks whose next poll is due (the task_due index). */
const DUE_TASKS = statement<{ now: Date; exclude: string[]; limit: number }>(
  'tasks-due',
  (p) => sql`SELECT task_id AS "taskId", failure_streak AS "failureStreak" FROM task
       WHERE tracking AND ended_at IS NULL AND next_poll_at <= ${p.now}
         AND NOT (task_id = ANY(${p.exclude}::text[]))
       ORDER BY next_poll_at
       LIMIT ${p.limit}`,
);

const SYNC_FAILURE = statement<{ taskId: string; message: string; nextPollAt: Date }>(
  'tasks-sync-failure',
  (p) => sql`UPDATE task SET last_sync_error = ${p.message}, failure_streak = failure_streak + 1,
             next_poll_at = ${p.nextPollAt}
       WHERE task_id = ${p.taskId}`,
);

export interface TaskStatusInfo {
  status: TaskStatusCode;
  at: Date;
  roomId?: string;
  streamId?: string;
  failReason?: string;
  upstreamCreatedAt?: Date;
}

/**
 * Tasks: tracking, lookups, the polling schedule and the stream task's own status, through
 * Prisma's typed API (none of these is on a path where its per-query cost shows).
 */
@Injectable()
export class TasksRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly receipts: CallbackReceiptsRepository,
    private readonly read: ReadDatabase,
  ) {}

  /** Starts tracking a task (creating it if new). `wasTracking` is null when the task is new. */
  async trackTask(taskId: string, source: string): Promise<{ task: TaskRow; wasTracking: boolean | null }> {
    return this.prisma.$transaction(async (tx) => {
      const prev = await tx.task.findUnique({ where: { taskId }, select: { tracking: true, endedAt: true } });
      const polling = prev?.tracking === true && prev.endedAt === null;
      await tx.task.upsert({
        where: { taskId },
        create: { taskId, source },
        // A task tracked again (or one that had ended) is polled at once; a live one keeps its schedule.
        update: { tracking: true, endedAt: null, ...(polling ? {} : { nextPollAt: new Date() }) },
        // Nothing relational selected here: Prisma then runs one INSERT ... ON CONFLICT, which a
        // concurrent insert of the same task (a callback) cannot make fail.
        select: { taskId: true },
      });
      const task = await tx.task.findUniqueOrThrow({ where: { taskId }, select: TASK_SELECT });
      return { task, wasTracking: prev?.tracking ?? null };
    });
  }

  async untrackTask(taskId: string): Promise<boolean> {
    const { count } = await this.prisma.task.updateMany({ where: { taskId }, data: { tracking: false } });
    return count > 0;
  }

  async getTask(taskId: string): Promise<TaskRow | null> {
    return this.prisma.task.findUnique({ where: { taskId }, select: TASK_SELECT });
  }

  /** The same from the read replica, when there is one: for the REST reads. */
  async readTask(taskId: string): Promise<TaskRow | null> {
    return this.read.prisma.task.findUnique({ where: { taskId }, select: TASK_SELECT });
  }

  /** Tasks in task id order, after `afterTaskId` (keyset pagination); from the read replica. */
  async listTasks(limit: number, afterTaskId: string | null): Promise<TaskRow[]> {
    return this.read.prisma.task.findMany({
      where: afterTaskId === null ? {} : { taskId: { gt: afterTaskId } },
      orderBy: { taskId: 'asc' },
      take: limit,
      select: TASK_SELECT,
    });
  }

  /**
   * Tracked, live tasks whose next poll is due, the most overdue first. Hand-written, as is
   * recordSyncFailure: the scheduler runs this five times a second and, while the upstream is down,
   * records up to a hundred failed polls a second; through Prisma's query builder both cost enough
   * CPU to take the callbacks benchmark from 0.60 to 0.55 of its baseline (README, Performance).
   */
  async findDueTasks(now: Date, limit: number, exclude: string[]): Promise<DueTask[]> {
    const { rows } = await this.prisma.pool.query<DueTask>(DUE_TASKS.config({ now, exclude, limit }));
    return rows;
  }

  /**
   * Records a stream task's status (from a callback, discovery or GetDigitalHumanStreamTaskStatus).
   * The status only moves forward (initializing → publishing → stopping → stopped | init failed):
   * the rank check is part of the UPDATE's condition, so concurrent events cannot move it back.
   * Once the task has ended, one more poll is scheduled, and that poll ends the tracking.
   */
  async recordTaskStatus(taskId: string, info: TaskStatusInfo): Promise<boolean> {
    return this.prisma.$transaction((tx) => this.applyTaskStatus(tx, taskId, info));
  }

  /**
   * A verified stream-task callback, in one transaction: its receipt, the task (created as found by
   * a callback when `create` is set and it is unknown) and its status. Nothing is written when the
   * receipt's pair was applied before (`duplicate`) or came with another body (`reused`).
   */
  async recordTaskEvent(
    taskId: string,
    info: TaskStatusInfo,
    options: { create: boolean; receipt: CallbackReceipt },
  ): Promise<{ receipt: ReceiptCheck; changed: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const receipt = await this.receipts.claim(tx, options.receipt);
      if (receipt !== 'new') return { receipt, changed: false };
      if (options.create) await tx.task.createMany({ data: [{ taskId, source: 'callback' }], skipDuplicates: true });
      return { receipt, changed: await this.applyTaskStatus(tx, taskId, info) };
    });
  }

  private async applyTaskStatus(tx: Prisma.TransactionClient, taskId: string, info: TaskStatusInfo): Promise<boolean> {
    const rank = TASK_STATUS_RANK[info.status];
    const behind = ([1, 2, 3, 4, 5] as const).filter((s) => TASK_STATUS_RANK[s] < rank);
    const { count } = await tx.task.updateMany({
      where: { taskId, OR: [{ taskStatus: null }, { taskStatus: { in: behind } }] },
      data: {
        taskStatus: info.status,
        taskStatusAt: info.at,
        roomId: info.roomId,
        streamId: info.streamId,
        failReason: info.failReason,
        upstreamCreatedAt: info.upstreamCreatedAt,
      },
    });
    if (count && isTaskEnded(info.status)) {
      const now = new Date();
      await tx.task.updateMany({ where: { taskId, finalPollAfter: null }, data: { finalPollAfter: now } });
      await tx.task.updateMany({ where: { taskId, endedAt: null }, data: { nextPollAt: now } });
    }
    return count > 0;
  }

  /** Starts tracking a task found upstream, unless it is known already (a user may have untracked it). */
  async discoverTask(taskId: string, source: 'discovery' | 'callback' = 'discovery'): Promise<boolean> {
    const { count } = await this.prisma.task.createMany({ data: [{ taskId, source }], skipDuplicates: true });
    return count > 0;
  }

  /** Tracked tasks not yet ended, for discovery's reconciliation: the longest without news first. */
  async liveTrackedTasks(limit: number): Promise<Array<{ taskId: string; taskStatus: number | null }>> {
    return this.prisma.task.findMany({
      where: live,
      orderBy: { taskStatusAt: { sort: 'asc', nulls: 'first' } },
      take: limit,
      select: { taskId: true, taskStatus: true },
    });
  }

  /**
   * Running on callbacks: the task's status from GetDigitalHumanStreamTaskStatus stands in for a
   * poll. An ended task ends at once (there is no last poll of its drives to wait for).
   */
  async recordTaskCheck(taskId: string, info: TaskStatusInfo, nextCheckAt: Date): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.applyTaskStatus(tx, taskId, info);
      await tx.task.updateMany({
        where: { taskId },
        data: { nextPollAt: nextCheckAt, lastSyncError: null, failureStreak: 0 },
      });
      if (isTaskEnded(info.status)) {
        await tx.task.updateMany({ where: { taskId, endedAt: null }, data: { endedAt: info.at } });
      }
    });
  }

  /** A poll failed: keep the reason (already free of secrets) and try again at `nextPollAt`. */
  async recordSyncFailure(taskId: string, message: string, nextPollAt: Date): Promise<void> {
    await this.prisma.pool.query(SYNC_FAILURE.config({ taskId, message: message.slice(0, 500), nextPollAt }));
  }

  /** Makes every live task whose last poll failed due now; returns how many. */
  async pollFailingTasksNow(): Promise<number> {
    const now = new Date();
    const { count } = await this.prisma.task.updateMany({
      where: { ...live, failureStreak: { gt: 0 }, nextPollAt: { gt: now } },
      data: { nextPollAt: now },
    });
    return count;
  }

  /**
   * The upstream no longer knows the task (`400000005`): stop polling it, keep everything recorded.
   * Since 2025-11 a stream-task query never answers "stopped", so for a task last seen running this
   * answer is how its stop shows: it is recorded as stopped (TTL, MaxIdleTime and Stop look alike).
   * Its drives still queued or playing are left to the unresolved sweep.
   */
  async markEnded(taskId: string, at: Date, reason: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.task.updateMany({ where: { taskId, endedAt: null }, data: { endedAt: at } }),
      this.prisma.task.updateMany({ where: { taskId }, data: { lastSyncError: reason.slice(0, 500) } }),
      this.prisma.task.updateMany({
        where: { taskId, taskStatus: { in: [TASK_STATUS.initializing, TASK_STATUS.publishing, TASK_STATUS.stopping] } },
        data: { taskStatus: TASK_STATUS.stopped, taskStatusAt: at },
      }),
    ]);
  }

  /** Tracked tasks, how long the most overdue one has waited, and drives by status, from one snapshot. */
  async statusSnapshot(): Promise<StatusSnapshot> {
    const now = new Date();
    const [tracked, overdue, sums] = await this.prisma.$transaction(
      [
        this.prisma.task.count({ where: live }),
        this.prisma.task.aggregate({ where: { ...live, nextPollAt: { lt: now } }, _min: { nextPollAt: true } }),
        this.prisma.task.aggregate({
          _sum: { queued: true, playing: true, failed: true, finished: true, unresolved: true },
        }),
      ],
      { isolationLevel: 'RepeatableRead' },
    );
    const oldest = overdue._min.nextPollAt;
    return {
      tracked,
      lagSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
      drives: {
        queued: sums._sum.queued ?? 0,
        playing: sums._sum.playing ?? 0,
        failed: sums._sum.failed ?? 0,
        finished: sums._sum.finished ?? 0,
        unresolved: sums._sum.unresolved ?? 0,
      },
    };
  }
}
