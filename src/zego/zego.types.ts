/** ZEGO's drive statuses: 1 queued, 2 playing, 3 failed, 4 finished (3 and 4 are terminal). */
export const DRIVE_STATUS_CODES = [1, 2, 3, 4] as const;
export type DriveStatusCode = (typeof DRIVE_STATUS_CODES)[number];

export const DRIVE_STATUS_NAMES = { 1: 'queued', 2: 'playing', 3: 'failed', 4: 'finished' } as const;
export type DriveStatusName = (typeof DRIVE_STATUS_NAMES)[DriveStatusCode];
export const DRIVE_STATUS_BY_NAME: Record<DriveStatusName, DriveStatusCode> = {
  queued: 1,
  playing: 2,
  failed: 3,
  finished: 4,
};

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
