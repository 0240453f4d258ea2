import { columnOf } from '../database/columns';
import { raw, SqlFragment } from '../database/sql';
import type { Drive } from '../generated/prisma/client';

/**
 * SQL pieces shared by the single and the batch observation write (observation-write.ts,
 * observation-batch-write.ts). Constants of the code only: no values.
 */

/** A timestamp column as ms since the epoch (float8, exact for timestamptz(3)). */
const epoch = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::float8`;
/** ms since the epoch (float8) back to a timestamp. */
export const msToTime = (ms: string): SqlFragment => raw(`to_timestamp(${ms} / 1000)`);

const c = (field: keyof Drive) => columnOf<Drive>(field);

/** What the writes read of a drive under its task's lock (BatchDrive's fields). */
export const STORED_DRIVE = raw(
  `${c('taskId')} AS "taskId", ${c('driveId')} AS "driveId", ${c('status')}::int AS status,
                ${c('missingSince')} IS NOT NULL AS missing, ${c('unresolvedAt')} IS NOT NULL AS unresolved,
                ${c('driveType')} AS "driveType", ${epoch(c('queuedAt'))} AS "queuedAt",
                ${epoch(c('playingAt'))} AS "playingAt", ${epoch(c('endedAt'))} AS "endedAt"`,
);

/** The drive columns an observation writes. */
export const DRIVE_COLUMNS = raw(
  `task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at, queued_at, playing_at, ended_at`,
);

/** What a status change of a known drive sets (an INSERT's conflict clause). */
export const ON_DRIVE_CHANGE = raw(`ON CONFLICT (task_id, drive_id) DO UPDATE SET
  status = EXCLUDED.status, status_changed_at = EXCLUDED.status_changed_at,
  last_seen_at = EXCLUDED.last_seen_at, missing_since = NULL, unresolved_at = NULL,
  queued_at = EXCLUDED.queued_at, playing_at = EXCLUDED.playing_at, ended_at = EXCLUDED.ended_at`);
