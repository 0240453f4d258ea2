import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The state of a simulated ZEGO account: stream tasks and their drives, moving through
 * queued → playing → finished | failed on a real clock. Time advances when `advance()` is called
 * (the server calls it on a timer and before every request), so tests may also drive it by hand.
 */
export interface SimulatorEngineOptions {
  /** Share of drives that end in failed (0–1). */
  failureRate: number;
  /** How long a drive plays, in ms: a random value in [min, max]. */
  driveDurationMs: [number, number];
  /** Time from creation to publishing. */
  initDelayMs: number;
  /** Time from Stop to stopped. */
  stopDelayMs: number;
  /** A task ends after this long, like ZEGO's TTL (default 24 h). */
  ttlMs: number;
  /** A task ends after this long without a drive, like ZEGO's MaxIdleTime (default 15 min). */
  maxIdleMs: number;
  /** How long an ended task's drives are still answered by GetDriveStatus before it is "not found". */
  endedRetentionMs: number;
  /**
   * Before 2025-11 stream-task queries answered an ended task with status 5 (stopped) until it was
   * forgotten. ZEGO's docs as of 2026 report running tasks only: an ended task answers `400000005`
   * once its stop has taken effect (`stopDelayMs` in status 4). True restores the old answers.
   */
  queriesReportStopped: boolean;
  /**
   * InterruptDriveTask and InterruptMode 1 discard the queued drives, and no event says which (2026
   * docs): they end failed here without a callback or room message. True announces them as before.
   */
  announceDiscardedDrives: boolean;
  random: () => number;
  now: () => number;
}

export const DEFAULT_ENGINE_OPTIONS: SimulatorEngineOptions = {
  failureRate: 0.1,
  driveDurationMs: [1500, 4000],
  initDelayMs: 500,
  stopDelayMs: 300,
  ttlMs: 24 * 3600_000,
  maxIdleMs: 15 * 60_000,
  endedRetentionMs: 10 * 60_000,
  queriesReportStopped: false,
  announceDiscardedDrives: false,
  random: Math.random,
  now: Date.now,
};

export interface SimDrive {
  driveId: string;
  status: 1 | 2 | 3 | 4;
  kind: 'text' | 'audio';
  queuedAt: number;
  startedAt?: number;
  endsAt?: number;
  endedAt?: number;
  willFail: boolean;
}

export interface SimTask {
  taskId: string;
  roomId: string;
  streamId: string;
  status: 1 | 2 | 3 | 4 | 5;
  createdAt: number;
  lastDriveAt: number;
  ttlMs: number;
  maxIdleMs: number;
  stoppingAt?: number;
  endedAt?: number;
  drives: SimDrive[];
}

export class SimulatorError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A status change of a drive (EventType 4) or of a stream task (EventType 3). */
export type SimEvent =
  | { type: 4; taskId: string; driveId: string; status: number; at: number }
  | { type: 3; taskId: string; status: number; at: number; roomId: string; streamId: string };

export class SimulatorEngine {
  readonly options: SimulatorEngineOptions;
  private readonly tasks = new Map<string, SimTask>();
  private readonly forgotten = new Set<string>();
  /** Every drive status change, for tests that count transitions independently of the service. */
  readonly events: Array<{ taskId: string; driveId: string; status: number; at: number }> = [];
  /** Told of every drive and task status change (the server turns them into callbacks). */
  readonly listeners: Array<(event: SimEvent) => void> = [];
  /** Queued drives an interrupt discarded without any event (bounded), for tests. */
  readonly discarded: Array<{ taskId: string; driveId: string }> = [];

  constructor(options: Partial<SimulatorEngineOptions> = {}) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  }

  private now(): number {
    return this.options.now();
  }

  createTask(params: { RoomId?: unknown; StreamId?: unknown; TTL?: unknown; MaxIdleTime?: unknown } = {}): SimTask {
    const now = this.now();
    const taskId = `task_${randomBytes(8).toString('hex')}`;
    const task: SimTask = {
      taskId,
      roomId: typeof params.RoomId === 'string' && params.RoomId ? params.RoomId : `room_${taskId.slice(5, 13)}`,
      streamId:
        typeof params.StreamId === 'string' && params.StreamId ? params.StreamId : `stream_${taskId.slice(5, 13)}`,
      status: 1,
      createdAt: now,
      lastDriveAt: now,
      ttlMs: positiveSeconds(params.TTL) ?? this.options.ttlMs,
      maxIdleMs: positiveSeconds(params.MaxIdleTime) ?? this.options.maxIdleMs,
      drives: [],
    };
    this.tasks.set(taskId, task);
    this.recordTask(task, now);
    return task;
  }

  /** Queues a drive behind the current one, or (interrupt) discards the queue and takes over. */
  drive(taskId: string, kind: 'text' | 'audio', interrupt = false): SimDrive {
    this.advance();
    const task = this.liveTask(taskId);
    if (task.status !== 1 && task.status !== 3) throw new SimulatorError(400000001, 'task is not running');
    const now = this.now();
    if (interrupt) this.interruptTask(task, now);
    const drive: SimDrive = {
      driveId: `drive_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      status: 1,
      kind,
      queuedAt: now,
      willFail: this.options.random() < this.options.failureRate,
    };
    task.drives.push(drive);
    task.lastDriveAt = now;
    this.record(task, drive, now);
    this.advanceTask(task, now);
    return drive;
  }

  interrupt(taskId: string): void {
    this.advance();
    const task = this.liveTask(taskId);
    this.interruptTask(task, this.now());
  }

  /**
   * Test hook: stream-task queries (the list and the status) stop knowing the task, answering
   * `400000005`, while its drives go on and GetDriveStatus still answers: an upstream that lost the
   * task while drives run.
   */
  forgetTask(taskId: string): void {
    this.forgotten.add(this.findTask(taskId).taskId);
  }

  /**
   * As a stream-task query answers: a task that has ended (and is not yet forgotten) is "not found"
   * unless `queriesReportStopped` (the pre-2025-11 docs, status 5).
   */
  queryTask(taskId: string): SimTask {
    const task = this.findTask(taskId);
    if (this.forgotten.has(taskId) || (task.status === 5 && !this.options.queriesReportStopped))
      throw new SimulatorError(400000005, 'task not found');
    return task;
  }

  stop(taskId: string): void {
    this.advance();
    const task = this.liveTask(taskId);
    if (task.status === 4 || task.status === 5) return;
    const now = this.now();
    this.failPending(task, now);
    task.status = 4;
    task.stoppingAt = now;
    this.recordTask(task, now);
    this.advanceTask(task, now);
  }

  /** A task that is still known upstream (ended tasks are forgotten after the retention time). */
  findTask(taskId: string): SimTask {
    this.advance();
    const task = this.tasks.get(taskId);
    if (!task || (task.endedAt !== undefined && this.now() - task.endedAt > this.options.endedRetentionMs)) {
      throw new SimulatorError(400000005, 'task not found');
    }
    return task;
  }

  findDrive(driveId: string): { task: SimTask; drive: SimDrive } {
    this.advance();
    for (const task of this.tasks.values()) {
      const drive = task.drives.find((d) => d.driveId === driveId);
      if (drive) return { task: this.findTask(task.taskId), drive };
    }
    throw new SimulatorError(400000005, 'drive not found');
  }

  runningTasks(): SimTask[] {
    this.advance();
    return [...this.tasks.values()].filter((t) => (t.status === 1 || t.status === 3) && !this.forgotten.has(t.taskId));
  }

  allTasks(): SimTask[] {
    return [...this.tasks.values()];
  }

  /** Moves every task forward to now. */
  advance(): void {
    const now = this.now();
    for (const task of this.tasks.values()) this.advanceTask(task, now);
  }

  private liveTask(taskId: string): SimTask {
    const task = this.findTask(taskId);
    if (task.status === 5 || task.status === 2) throw new SimulatorError(400000005, 'task has ended');
    return task;
  }

  private advanceTask(task: SimTask, now: number): void {
    if (task.status === 5 || task.status === 2) return;
    if (task.status === 1 && now - task.createdAt >= this.options.initDelayMs) {
      task.status = 3;
      this.recordTask(task, task.createdAt + this.options.initDelayMs);
    }
    if (task.status === 3 && (now - task.createdAt >= task.ttlMs || this.idleSince(task, now) >= task.maxIdleMs)) {
      this.failPending(task, now);
      task.status = 4;
      task.stoppingAt = now;
      this.recordTask(task, now);
    }
    if (task.status === 4) {
      if (now - (task.stoppingAt ?? now) >= this.options.stopDelayMs) {
        task.status = 5;
        task.endedAt = now;
        this.recordTask(task, now);
      }
      return;
    }
    if (task.status !== 3) return;
    // One drive plays at a time; play through the queue as far as the clock has come.
    let clock = Math.max(task.createdAt + this.options.initDelayMs, 0);
    for (const drive of task.drives) {
      if (drive.status === 3 || drive.status === 4) {
        clock = Math.max(clock, drive.endedAt ?? clock);
        continue;
      }
      if (drive.status === 1) {
        const start = Math.max(clock, drive.queuedAt);
        if (start > now) return;
        drive.status = 2;
        drive.startedAt = start;
        drive.endsAt = start + this.duration();
        this.record(task, drive, start);
      }
      if (drive.status === 2) {
        if ((drive.endsAt ?? 0) > now) return;
        drive.status = drive.willFail ? 3 : 4;
        drive.endedAt = drive.endsAt;
        this.record(task, drive, drive.endedAt ?? now);
        clock = drive.endedAt ?? now;
        task.lastDriveAt = Math.max(task.lastDriveAt, clock);
      }
    }
  }

  /** How long a task has had nothing queued or playing (0 while it has). MaxIdleTime counts this. */
  private idleSince(task: SimTask, now: number): number {
    if (task.drives.some((d) => d.status === 1 || d.status === 2)) return 0;
    return now - task.lastDriveAt;
  }

  /** The docs do not say how interrupted or discarded drives end; ZEGO's simulator fails them. */
  private failPending(task: SimTask, now: number, announceQueued = true): void {
    for (const drive of task.drives) {
      if (drive.status === 1 || drive.status === 2) {
        const queued = drive.status === 1;
        drive.status = 3;
        drive.endedAt = now;
        if (!queued || announceQueued) this.record(task, drive, now);
        else if (this.discarded.push({ taskId: task.taskId, driveId: drive.driveId }) > 10_000) this.discarded.shift();
      }
    }
  }

  /** The playing drive is cut off (failed, announced); the queued ones are discarded silently. */
  private interruptTask(task: SimTask, now: number): void {
    this.failPending(task, now, this.options.announceDiscardedDrives);
  }

  private duration(): number {
    const [min, max] = this.options.driveDurationMs;
    return Math.round(min + (max - min) * this.options.random());
  }

  private record(task: SimTask, drive: SimDrive, at: number): void {
    this.events.push({ taskId: task.taskId, driveId: drive.driveId, status: drive.status, at });
    if (this.events.length > 100_000) this.events.splice(0, 50_000);
    for (const listener of this.listeners)
      listener({ type: 4, taskId: task.taskId, driveId: drive.driveId, status: drive.status, at });
  }

  private recordTask(task: SimTask, at: number): void {
    for (const listener of this.listeners) {
      listener({ type: 3, taskId: task.taskId, status: task.status, at, roomId: task.roomId, streamId: task.streamId });
    }
  }
}

function positiveSeconds(value: unknown): number | undefined {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}
