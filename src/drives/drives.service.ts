import { derivedDurations } from './durations';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor, isBigintKey } from '../common/cursor';
import { isoTime, parseTime } from '../common/time';
import { DRIVE_STATUS_BY_NAME, DRIVE_STATUS_NAMES, TASK_STATUS_NAMES, TaskStatusCode } from '../zego/zego.types';
import {
  CountsView,
  DriveDetail,
  DrivePage,
  DriveView,
  ID_PATTERN,
  DriveType,
  RegisterDriveBody,
  TaskPage,
  TaskView,
} from './drives.dto';
import { DriveReadsRepository } from './drive-reads.repository';
import { DriveCounts, DriveRow, TaskRow } from './drive-rows';
import { ObservationsRepository } from './observations.repository';
import { TasksRepository } from './tasks.repository';
import { PageCache, renderDrivePage, RenderedPage } from './page-cache';
import { drivePageEtag, etagMatches, PageShape, pageShapeKey, PageVersions, taskEtag } from './page-versions';

/** A producer's submittedAt older than this is refused (it is not a registration, it is a back-fill). */
const SUBMITTED_WITHIN_MS = 24 * 3600_000;

/** What the REST API can ask of tasks and drives; speaks views, never database rows. */
@Injectable()
export class DrivesService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly reads: DriveReadsRepository,
    private readonly observations: ObservationsRepository,
    private readonly versions: PageVersions,
    private readonly cache: PageCache,
  ) {}

  /**
   * A producer registers a drive it has just asked ZEGO for: recorded as queued (history source
   * `producer`), the task tracked if it was not; later callbacks and polls move it on. Idempotent:
   * `created` only the first time. A drive already further along keeps its status.
   */
  async registerDrive(
    taskId: string,
    body: RegisterDriveBody,
    now = Date.now(),
  ): Promise<{ drive: DriveView; created: boolean }> {
    let submittedAt: Date | null = null;
    if (body.submittedAt !== undefined) {
      const at = parseTime('submittedAt', body.submittedAt);
      if (at < now - SUBMITTED_WITHIN_MS || at > now + 60_000) {
        throw new BadRequestException('submittedAt must be within the last 24 hours (and not in the future)');
      }
      submittedAt = new Date(at);
    }
    const result = await this.observations.applyObservation(taskId, [{ driveId: body.driveId, status: 1 }], {
      at: submittedAt ?? new Date(now),
      source: 'producer',
      complete: false,
      ensureTask: 'producer',
      registration: {
        driveId: body.driveId,
        type: body.type ?? null,
        requestId: body.requestId ?? null,
        submittedAt,
      },
    });
    const created = !!result?.plan.changes.some((c) => c.driveId === body.driveId && c.from === null);
    const drive = await this.reads.getDrive(taskId, body.driveId, true);
    if (!drive) throw new NotFoundException(`drive ${body.driveId} of task ${taskId} is not known`);
    return { drive: driveView(drive), created };
  }

  async track(taskId: string, source = 'manual'): Promise<{ task: TaskView; created: boolean }> {
    const { task, wasTracking } = await this.tasks.trackTask(taskId, source);
    return { task: taskView(task), created: wasTracking !== true };
  }

  async untrack(taskId: string): Promise<void> {
    if (!(await this.tasks.untrackTask(taskId))) throw taskNotFound(taskId);
  }

  async getTask(taskId: string): Promise<TaskView> {
    return taskView(await this.requireTask(taskId));
  }

  /**
   * The task with its ETag, or only the ETag when `ifNoneMatch` still names it (answer 304). The
   * version is read before the task, so a change in between gives an older tag with a newer answer
   * (the next conditional request fetches it again), never the reverse.
   */
  async getTaskIfChanged(
    taskId: string,
    ifNoneMatch: string | undefined,
  ): Promise<{ etag: string; task: TaskView | null }> {
    const version = await this.versions.task(taskId);
    if (version === null) throw taskNotFound(taskId);
    const etag = taskEtag(version);
    if (etagMatches(ifNoneMatch, etag)) return { etag, task: null };
    return { etag, task: await this.getTask(taskId) };
  }

  async listTasks(limit: number, cursor?: string): Promise<TaskPage> {
    const after = decodeCursor('tasks', cursor, (a) => ID_PATTERN.test(a));
    const rows = await this.tasks.listTasks(limit + 1, after);
    const page = rows.slice(0, limit);
    return {
      items: page.map(taskView),
      nextCursor: rows.length > limit ? encodeCursor('tasks', page[page.length - 1].taskId) : null,
    };
  }

  async listDrives(taskId: string, statuses: string[] | undefined, limit: number, cursor?: string): Promise<DrivePage> {
    const request = this.pageRequest(taskId, statuses, limit, cursor);
    return (await this.readPage(request)).page;
  }

  /**
   * A page of the task's drives as JSON with its ETag; with `ifNoneMatch` naming the page's current
   * version, only the ETag (body null: answer 304). Either is found from the page's row versions
   * alone when it can be: a 304, or a page rendered before whose rows have not changed since
   * (page-cache.ts); otherwise the page is read and rendered.
   */
  async drivePage(
    taskId: string,
    statuses: string[] | undefined,
    limit: number,
    cursor?: string,
    ifNoneMatch?: string,
  ): Promise<RenderedPage | { etag: string; body: null }> {
    const request = this.pageRequest(taskId, statuses, limit, cursor);
    const key = `${taskId} ${pageShapeKey(request.shape)}`;
    const kept = this.cache.candidate(key);
    if (ifNoneMatch || kept) {
      const version = await this.versions.drivePage(taskId, request.shape);
      if (!version) throw taskNotFound(taskId);
      const etag = drivePageEtag(request.shape, version);
      if (etagMatches(ifNoneMatch, etag)) return { etag, body: null };
      if (kept) {
        const fresh = kept.page.etag === etag;
        this.cache.checked(kept, fresh);
        if (fresh) return kept.page;
      }
    }
    const { etag, page } = await this.readPage(request);
    const rendered = { etag, body: Buffer.from(renderDrivePage(page)) };
    this.cache.keep(key, rendered);
    return rendered;
  }

  private pageRequest(taskId: string, statuses: string[] | undefined, limit: number, cursor?: string) {
    const list = `drives:${taskId}`;
    const after = decodeCursor(list, cursor, isBigintKey);
    const codes = statuses ? statuses.map((s) => DRIVE_STATUS_BY_NAME[s as keyof typeof DRIVE_STATUS_BY_NAME]) : null;
    const shape: PageShape = { statuses: codes, limit: limit + 1, afterId: after };
    return { taskId, list, limit, shape };
  }

  /** The page read from the database (one statement) and its ETag. */
  private async readPage({ taskId, list, limit, shape }: ReturnType<DrivesService['pageRequest']>) {
    const found = await this.reads.drivePage(taskId, shape.statuses, shape.limit, shape.afterId);
    if (!found) throw taskNotFound(taskId);
    const { counts, drives } = found;
    const page = drives.slice(0, limit);
    const decided = counts.failed + counts.finished;
    return {
      etag: drivePageEtag(shape, found.version),
      page: {
        taskId,
        counts: countsView(counts),
        failureRate: decided ? counts.failed / decided : 0,
        items: page.map(driveView),
        nextCursor: drives.length > limit ? encodeCursor(list, page[page.length - 1].id) : null,
      } satisfies DrivePage,
    };
  }

  async getDrive(taskId: string, driveId: string): Promise<DriveDetail> {
    const drive = await this.reads.getDrive(taskId, driveId);
    if (!drive) {
      await this.requireTask(taskId);
      throw new NotFoundException(`drive ${driveId} of task ${taskId} is not known`);
    }
    return {
      ...driveView(drive),
      history: drive.history.map((h) => ({
        status: DRIVE_STATUS_NAMES[h.status],
        statusCode: h.status,
        previousStatus: h.previousStatus === null ? null : DRIVE_STATUS_NAMES[h.previousStatus],
        observedAt: h.observedAt,
        source: h.source,
      })),
    };
  }

  /** For the reads: from the read replica, when there is one. */
  private async requireTask(taskId: string): Promise<TaskRow> {
    const task = await this.tasks.readTask(taskId);
    if (!task) throw taskNotFound(taskId);
    return task;
  }
}

function taskNotFound(taskId: string): NotFoundException {
  return new NotFoundException(`task ${taskId} is not tracked (register it with PUT /tasks/${taskId})`);
}

export function taskView(t: TaskRow): TaskView {
  return {
    taskId: t.taskId,
    tracking: t.tracking,
    source: t.source,
    createdAt: isoTime(t.createdAt),
    lastSyncedAt: isoTime(t.lastSyncedAt),
    lastSyncError: t.lastSyncError,
    endedAt: isoTime(t.endedAt),
    taskStatus: t.taskStatus ? (TASK_STATUS_NAMES[t.taskStatus as TaskStatusCode] ?? null) : null,
    failReason: t.failReason,
    roomId: t.roomId,
    streamId: t.streamId,
    upstreamCreatedAt: isoTime(t.upstreamCreatedAt),
    counts: countsView(t),
  };
}

function countsView(c: DriveCounts): CountsView {
  return {
    queued: c.queued,
    playing: c.playing,
    failed: c.failed,
    finished: c.finished,
    unresolved: c.unresolved,
    total: c.queued + c.playing + c.failed + c.finished,
  };
}

/** ms since the epoch of a stored time, or null. */
const ms = (iso: string | null): number | null => {
  const t = iso === null ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : null;
};

function driveView(d: DriveRow): DriveView {
  const status = d.status;
  const { queueWaitMs, playMs } = derivedDurations({
    queuedAt: ms(d.queuedAt),
    playingAt: ms(d.playingAt),
    endedAt: ms(d.endedAt),
  });
  return {
    driveId: d.driveId,
    taskId: d.taskId,
    status: DRIVE_STATUS_NAMES[status],
    statusCode: status,
    firstSeenAt: d.firstSeenAt,
    statusChangedAt: d.statusChangedAt,
    lastSeenAt: d.lastSeenAt,
    type: d.driveType as DriveType | null,
    requestId: d.requestId,
    submittedAt: d.submittedAt,
    resolution: d.unresolvedAt ? 'unresolved' : null,
    unresolvedAt: d.unresolvedAt,
    queuedAt: d.queuedAt,
    playingAt: d.playingAt,
    endedAt: d.endedAt,
    queueWaitMs,
    playMs,
  };
}
