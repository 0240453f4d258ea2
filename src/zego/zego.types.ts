/** ZEGO's drive statuses: 1 queued, 2 playing, 3 failed, 4 finished (3 and 4 are terminal). */
export const DRIVE_STATUS_CODES = [1, 2, 3, 4] as const;
export type DriveStatusCode = (typeof DRIVE_STATUS_CODES)[number];

export const DRIVE_STATUS_NAMES = { 1: 'queued', 2: 'playing', 3: 'failed', 4: 'finished' } as const;
export type DriveStatusName = (typeof DRIVE_STATUS_NAMES)[DriveStatusCode];
/** The drive statuses by name: what code (SQL included) says instead of a bare 1, 2, 3 or 4. */
export const DRIVE_STATUS = { queued: 1, playing: 2, failed: 3, finished: 4 } as const satisfies Record<
  DriveStatusName,
  DriveStatusCode
>;
export const DRIVE_STATUS_BY_NAME: Record<DriveStatusName, DriveStatusCode> = DRIVE_STATUS;
export type TerminalDriveStatus = typeof DRIVE_STATUS.failed | typeof DRIVE_STATUS.finished;
/** A drive in one of these never changes status again. */
export const TERMINAL_DRIVE_STATUSES: readonly TerminalDriveStatus[] = [DRIVE_STATUS.failed, DRIVE_STATUS.finished];
export const isTerminal = (status: DriveStatusCode): status is TerminalDriveStatus =>
  status === DRIVE_STATUS.failed || status === DRIVE_STATUS.finished;

export interface ZegoDrive {
  driveId: string;
  status: DriveStatusCode;
}

/** Stream task statuses: 1 initializing, 2 initialization failed, 3 publishing, 4 stopping, 5 stopped. */
export type TaskStatusCode = 1 | 2 | 3 | 4 | 5;
export const TASK_STATUS_NAMES = {
  1: 'initializing',
  2: 'init_failed',
  3: 'publishing',
  4: 'stopping',
  5: 'stopped',
} as const;
export type TaskStatusName = (typeof TASK_STATUS_NAMES)[TaskStatusCode];
export const TASK_STATUS = {
  initializing: 1,
  init_failed: 2,
  publishing: 3,
  stopping: 4,
  stopped: 5,
} as const satisfies Record<TaskStatusName, TaskStatusCode>;
/** The stream task has ended (its drives can change no more): initialisation failed, or stopped. */
export const ENDED_TASK_STATUSES: readonly TaskStatusCode[] = [TASK_STATUS.init_failed, TASK_STATUS.stopped];
export const isTaskEnded = (status: TaskStatusCode): boolean => ENDED_TASK_STATUSES.includes(status);
