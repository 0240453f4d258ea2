import { Injectable } from '@nestjs/common';
import { ISO_TIMESTAMPS } from '../database/iso-timestamps';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';
import { selectFields } from '../database/columns';
import { join, sql, statement, Statement } from '../database/sql';
import type { Drive } from '../generated/prisma/client';
import { DriveStatusCode } from '../zego/zego.types';
import { DriveCounts, DriveHistoryRow, DriveRow } from './drive-rows';
import type { PageVersion } from './page-versions';

/**
 * A drive's columns for the API. Its lastSeenAt is the task's last successful poll while the
 * upstream still lists it, so unchanged polls need no write per drive.
 */
const DRIVE_COLUMNS = sql`d.id, ${selectFields<Drive>('d', ['driveId', 'taskId'])}, d.status::int AS status,
  ${selectFields<Drive>('d', ['firstSeenAt', 'statusChangedAt'])},
  CASE WHEN d.missing_since IS NULL AND t.last_synced_at > d.last_seen_at
       THEN t.last_synced_at ELSE d.last_seen_at END AS "lastSeenAt",
  ${selectFields<Drive>('d', ['driveType', 'requestId', 'submittedAt', 'unresolvedAt', 'queuedAt', 'playingAt', 'endedAt'])}`;

/**
 * The drive page statement, one per shape of request (status filter or not, first page or after a
 * cursor), so that each has a plan that fits it. Unfiltered pages, the common read, are prepared
 * once per connection (named): PostgreSQL neither parses nor plans them again, which was half of
 * its work per page, and their one generic plan (seek the task's drives by id) is right for every
 * task. Filtered pages stay unnamed and are planned each time with the statuses at hand, so a
 * rare status in a large task can still use the (task, status, id) index.
 */
interface PageParams {
  taskId: string;
  limit: number;
  /** Only with a status filter. */
  statuses?: DriveStatusCode[];
  /** Only after a cursor: the last drive row id of the previous page. */
  afterId?: string;
}
const DRIVE_PAGE = Object.fromEntries(
  (['all-first', 'all-after', 'status-first', 'status-after'] as const).map((shape) => {
    const [filter, position] = shape.split('-');
    const page = statement<PageParams>(
      `drive-page-${shape}`,
      (p) => {
        const conditions = [sql`d.task_id = t.task_id`];
        if (filter === 'status') conditions.push(sql`d.status = ANY(${p.statuses}::smallint[])`);
        if (position === 'after') conditions.push(sql`d.id > ${p.afterId}::bigint`);
        return sql`SELECT t.queued, t.playing, t.failed, t.finished, t.unresolved, t.xmin::text AS "taskVersion", d.*
        FROM task t
        LEFT JOIN LATERAL (
          SELECT ${DRIVE_COLUMNS}, d.xmin::text AS "rowVersion" FROM drive d WHERE ${join(conditions, ' AND ')} ORDER BY d.id LIMIT ${p.limit}
        ) d ON true
       WHERE t.task_id = ${p.taskId}
       ORDER BY d.id`;
      },
      { prepared: filter === 'all' },
    );
    return [shape, page];
  }),
) as Record<`${'all' | 'status'}-${'first' | 'after'}`, Statement<PageParams>>;

/** A drive with its whole history (one row per history entry). */
const DRIVE_WITH_HISTORY = statement<{ taskId: string; driveId: string }>(
  'drive-with-history',
  (p) => sql`SELECT ${DRIVE_COLUMNS}, h.status::int AS "hStatus", h.previous_status::int AS "hPrevious",
                h.observed_at AS "hObservedAt", h.source AS "hSource"
         FROM drive d JOIN task t ON t.task_id = d.task_id
         LEFT JOIN drive_history h ON h.drive_row_id = d.id
        WHERE d.task_id = ${p.taskId} AND d.drive_id = ${p.driveId}
        ORDER BY h.id`,
);

/**
 * The two hot reads (a page of a task's drives, a drive with its history), each one hand-written
 * statement straight on the pool with timestamps kept as text: the benchmark's `read` scenario
 * showed Prisma's per-query cost and Date round trips as its largest items (README, Performance).
 */
@Injectable()
export class DriveReadsRepository {
  constructor(
    private readonly read: ReadDatabase,
    private readonly primary: PrismaService,
  ) {}

  /**
   * One page of a task's drives, in the order they were first seen, with the task's counters, from
   * one statement: counters and drives come from the same snapshot (a change committed between two
   * queries could not make them disagree), in one round trip. Straight to the pool, as a prepared
   * statement where that helps (see DRIVE_PAGE): this is the hot read. Null when the task is not known.
   */
  async drivePage(
    taskId: string,
    statuses: DriveStatusCode[] | null,
    limit: number,
    afterId: string | null,
  ): Promise<{ counts: DriveCounts; drives: DriveRow[]; version: PageVersion } | null> {
    const page = DRIVE_PAGE[`${statuses ? 'status' : 'all'}-${afterId ? 'after' : 'first'}`];
    type Row = DriveCounts & Partial<DriveRow> & { taskVersion: string; rowVersion: string | null };
    const { rows } = await this.read.prisma.pool.query<Row>({
      ...page.config({ taskId, limit, statuses: statuses ?? undefined, afterId: afterId ?? undefined }),
      types: ISO_TIMESTAMPS,
    });
    if (!rows.length) return null;
    const { queued, playing, failed, finished, unresolved } = rows[0];
    // A task without (matching) drives comes back as one row whose drive columns are all null.
    const drives = rows[0].id === null ? [] : (rows as DriveRow[]);
    // The rows' versions, for the page's ETag (page-versions.ts asks for the same without the rows).
    let versions = '';
    if (rows[0].id !== null) for (const r of rows) versions += `${versions ? ',' : ''}${r.id}:${r.rowVersion}`;
    return {
      counts: { queued, playing, failed, finished, unresolved },
      drives,
      version: { task: rows[0].taskVersion, drives: versions },
    };
  }

  /**
   * One drive with its whole history, oldest first, from one statement (so the drive's status and
   * its last history entry always agree, even while a change is being written).
   */
  async getDrive(
    taskId: string,
    driveId: string,
    /** Read from the primary: right after writing it (the replica may not have it yet). */
    fromPrimary = false,
  ): Promise<(DriveRow & { history: DriveHistoryRow[] }) | null> {
    type Joined = DriveRow & {
      hStatus: DriveStatusCode | null;
      hPrevious: DriveStatusCode | null;
      hObservedAt: string;
      hSource: string;
    };
    const { rows } = await (fromPrimary ? this.primary : this.read.prisma).pool.query<Joined>({
      ...DRIVE_WITH_HISTORY.config({ taskId, driveId }),
      types: ISO_TIMESTAMPS,
    });
    if (!rows.length) return null;
    const { hStatus: _s, hPrevious: _p, hObservedAt: _o, hSource: _src, ...drive } = rows[0];
    const history = rows
      .filter((r) => r.hStatus !== null)
      .map((r) => ({
        status: r.hStatus as DriveStatusCode,
        previousStatus: r.hPrevious,
        observedAt: r.hObservedAt,
        source: r.hSource,
      }));
    return { ...drive, history };
  }
}
