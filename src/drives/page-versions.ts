import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ReadDatabase } from '../database/read-database';
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

/**
 * The page's ETag. The shape is part of it, so that one URL's tag never validates another's answer.
 * Strong: the same versions always give the same bytes.
 */
export function drivePageEtag(shape: PageShape, version: PageVersion): string {
  const key = `p|${shape.statuses?.join('.') ?? ''}|${shape.limit}|${shape.afterId ?? ''}|${version.task}|${version.drives}`;
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

/** Versions of the page's rows: the page statement's row set (same conditions, same order), ids and xmin only. */
const PAGE_VERSION = Object.fromEntries(
  (['all-first', 'all-after', 'status-first', 'status-after'] as const).map((shape) => {
    const [filter, position] = shape.split('-');
    const conditions = ['d.task_id = t.task_id'];
    if (filter === 'status') conditions.push('d.status = ANY($3::smallint[])');
    if (position === 'after') conditions.push(`d.id > $${filter === 'status' ? 4 : 3}::bigint`);
    const text = `SELECT t.xmin::text AS task,
         coalesce((SELECT string_agg(p.id || ':' || p.v, ',' ORDER BY p.id)
                     FROM (SELECT d.id, d.xmin::text AS v FROM drive d WHERE ${conditions.join(' AND ')}
                            ORDER BY d.id LIMIT $2) p), '') AS drives
       FROM task t WHERE t.task_id = $1`;
    return [shape, { name: filter === 'all' ? `drive-page-version-${shape}` : undefined, text }];
  }),
) as Record<`${'all' | 'status'}-${'first' | 'after'}`, { name?: string; text: string }>;

@Injectable()
export class PageVersions {
  constructor(private readonly read: ReadDatabase) {}

  /** The versions of a drive page's rows; null when the task is not known. */
  async drivePage(taskId: string, shape: PageShape): Promise<PageVersion | null> {
    const { name, text } = PAGE_VERSION[`${shape.statuses ? 'status' : 'all'}-${shape.afterId ? 'after' : 'first'}`];
    const values: unknown[] = [taskId, shape.limit];
    if (shape.statuses) values.push(shape.statuses);
    if (shape.afterId) values.push(shape.afterId);
    const { rows } = await this.read.prisma.pool.query<PageVersion>({ name, text, values });
    return rows[0] ?? null;
  }

  /** The task row's version; null when the task is not known. */
  async task(taskId: string): Promise<string | null> {
    const { rows } = await this.read.prisma.pool.query<{ v: string }>({
      name: 'task-version',
      text: 'SELECT xmin::text AS v FROM task WHERE task_id = $1',
      values: [taskId],
    });
    return rows[0]?.v ?? null;
  }
}
