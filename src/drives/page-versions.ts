import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ReadDatabase } from '../database/read-database';
import { join, sql, statement, Statement } from '../database/sql';
import { DriveStatusCode } from '../zego/zego.types';

/**
 * ETags for the task and its drive page, from row versions rather than from the answer.
 *
 * Every write of a row gives it a new `xmin` (the id of the transaction that wrote it), so the
 * version of an answer is the `xmin` of the rows it is made of: the task row (its counters, and
 * the last poll that every listed drive's lastSeenAt follows) and, for a page, each drive row on it
 * plus the one after it (which decides nextCursor). Nothing on the write side has to remember to
 * bump a version: any change to any of those rows, by any path, changes the ETag. A write that
 * changes nothing visible (say, an UPDATE to the same values) changes it too, which costs one
 * full answer, never a stale one.
 *
 * A conditional request asks only for those versions (a single short row: no drive columns read
 * into the service, no JSON built), and answers 304 when they are the ones the caller has.
 */

/** Which drive page: the same shapes as the page statement's (drive-reads.repository.ts). */
export interface PageShape {
  statuses: DriveStatusCode[] | null;
  /** Rows asked for: the page's limit plus one. */
  limit: number;
  afterId: string | null;
}

/** The versions of a page's rows: `<task xmin>` and `<drive id>:<xmin>,...` in page order. */
export interface PageVersion {
  task: string;
  drives: string;
}

/** The shape as text: `<statuses>|<limit>|<afterId>`. */
export function pageShapeKey(shape: PageShape): string {
  return `${shape.statuses?.join('.') ?? ''}|${shape.limit}|${shape.afterId ?? ''}`;
}

/**
 * The page's ETag. The shape is part of it, so that one URL's tag never validates another's answer.
 * Strong: the same versions always give the same bytes.
 */
export function drivePageEtag(shape: PageShape, version: PageVersion): string {
  const key = `p|${pageShapeKey(shape)}|${version.task}|${version.drives}`;
  return `"${createHash('sha1').update(key).digest('base64url')}"`;
}

/** The task answer's ETag, from its row's version. */
export function taskEtag(taskXmin: string): string {
  return `"t${taskXmin}"`;
}

/**
 * Whether an If-None-Match header names this ETag (`*`, or one of a comma-separated list; the weak
 * comparison RFC 9110 asks for, so `W/"x"` matches `"x"`).
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  for (const part of ifNoneMatch.split(',')) {
    const tag = part.trim();
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true;
  }
  return false;
}

interface VersionParams {
  taskId: string;
  limit: number;
  statuses?: DriveStatusCode[];
  afterId?: string;
}

/** Versions of the page's rows: the page statement's row set (same conditions, same order), ids and xmin only. */
const PAGE_VERSION = Object.fromEntries(
  (['all-first', 'all-after', 'status-first', 'status-after'] as const).map((shape) => {
    const [filter, position] = shape.split('-');
    const version = statement<VersionParams>(
      `drive-page-version-${shape}`,
      (p) => {
        const conditions = [sql`d.task_id = t.task_id`];
        if (filter === 'status') conditions.push(sql`d.status = ANY(${p.statuses}::smallint[])`);
        if (position === 'after') conditions.push(sql`d.id > ${p.afterId}::bigint`);
        return sql`SELECT t.xmin::text AS task,
         coalesce((SELECT string_agg(p.id || ':' || p.v, ',' ORDER BY p.id)
                     FROM (SELECT d.id, d.xmin::text AS v FROM drive d WHERE ${join(conditions, ' AND ')}
                            ORDER BY d.id LIMIT ${p.limit}) p), '') AS drives
       FROM task t WHERE t.task_id = ${p.taskId}`;
      },
      { prepared: filter === 'all' },
    );
    return [shape, version];
  }),
) as Record<`${'all' | 'status'}-${'first' | 'after'}`, Statement<VersionParams>>;

const TASK_VERSION = statement<{ taskId: string }>(
  'task-version',
  (p) => sql`SELECT xmin::text AS v FROM task WHERE task_id = ${p.taskId}`,
  { prepared: true },
);

@Injectable()
export class PageVersions {
  constructor(private readonly read: ReadDatabase) {}

  /** The versions of a drive page's rows; null when the task is not known. */
  async drivePage(taskId: string, shape: PageShape): Promise<PageVersion | null> {
    const version = PAGE_VERSION[`${shape.statuses ? 'status' : 'all'}-${shape.afterId ? 'after' : 'first'}`];
    const { rows } = await this.read.prisma.pool.query<PageVersion>(
      version.config({
        taskId,
        limit: shape.limit,
        statuses: shape.statuses ?? undefined,
        afterId: shape.afterId ?? undefined,
      }),
    );
    return rows[0] ?? null;
  }

  /** The task row's version; null when the task is not known. */
  async task(taskId: string): Promise<string | null> {
    const { rows } = await this.read.prisma.pool.query<{ v: string }>(TASK_VERSION.config({ taskId }));
    return rows[0]?.v ?? null;
  }
}
