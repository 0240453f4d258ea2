import type { Drive, DriveHistory, DriveOutcomeHourly, Prisma, Task } from '../generated/prisma/client';
import type { DriveStatusCode } from '../zego/zego.types';

/**
 * Row types of the drives feature, derived from the Prisma schema's generated model types, so that
 * renaming or retyping a field breaks compilation wherever its rows are used. The hand-written reads
 * (the drive page, a drive, what the writes read under the task lock) name their columns through
 * the same fields (database/columns.ts: `selectFields<Drive>(...)`, `columnOf<Drive>(...)`), so a
 * field renamed in the schema breaks their compilation too; the writes' columns are checked by
 * running them (the integration tests) and their text by the snapshots in prisma/queries.
 */

/** A row type whose timestamps arrive as ISO-8601 strings (see database/iso-timestamps.ts). */
export type AsIso<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** A task's drives per current status (kept on the task row, in step with the drives). */
export type DriveCounts = Pick<Task, 'queued' | 'playing' | 'failed' | 'finished' | 'unresolved'>;

/** The task columns the API shows. */
export const TASK_SELECT = {
  taskId: true,
  tracking: true,
  source: true,
  createdAt: true,
  lastSyncedAt: true,
  lastSyncError: true,
  endedAt: true,
  taskStatus: true,
  failReason: true,
  roomId: true,
  streamId: true,
  upstreamCreatedAt: true,
  queued: true,
  playing: true,
  failed: true,
  finished: true,
  unresolved: true,
} as const satisfies Prisma.TaskSelect;

export type TaskRow = Prisma.TaskGetPayload<{ select: typeof TASK_SELECT }>;

/** A drive as the API reads it; `id` is the row's bigint key as text, only ever used in a cursor. */
export type DriveRow = AsIso<
  Pick<
    Drive,
    | 'driveId'
    | 'taskId'
    | 'firstSeenAt'
    | 'statusChangedAt'
    | 'lastSeenAt'
    | 'driveType'
    | 'requestId'
    | 'submittedAt'
    | 'unresolvedAt'
    | 'queuedAt'
    | 'playingAt'
    | 'endedAt'
  >
> & {
  id: string;
  status: DriveStatusCode;
};

/** One entry of a drive's history as the API reads it. */
export type DriveHistoryRow = AsIso<Pick<DriveHistory, 'observedAt' | 'source'>> & {
  status: DriveStatusCode;
  previousStatus: DriveStatusCode | null;
};

export type OutcomeRow = Pick<DriveOutcomeHourly, 'hour' | 'failed' | 'finished'>;
