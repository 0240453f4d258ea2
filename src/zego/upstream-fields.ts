import type { TaskStatusCode } from './zego.types';

const TASK_STATUS_CODES = [1, 2, 3, 4, 5] as const;

/**
 * Reading fields of upstream answers that end up in the record. Whatever the upstream (or a
 * proxy in front of it) sends, what comes out fits the database and the API: text is bounded and
 * free of NUL, times are plausible.
 */

/** Longest room id, stream id or fail reason kept. */
export const MAX_UPSTREAM_TEXT = 512;
/** 2001-09-09: no stream task was created before this. */
const EARLIEST_CREATE_S = 1_000_000_000;

/** The text, when it is a string that is short enough and has no NUL; else undefined. */
export function upstreamText(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_UPSTREAM_TEXT && !value.includes('\u0000')
    ? value
    : undefined;
}

/** A `CreateTime` in Unix seconds, when it is a plausible one (2001 to a day from now). */
export function upstreamCreateTime(value: unknown, now = Date.now()): Date | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return value >= EARLIEST_CREATE_S && value <= now / 1000 + 86_400 ? new Date(Math.floor(value) * 1000) : undefined;
}

/** A stream task's status as GetDigitalHumanStreamTaskStatus reports it, bounded; null without a known Status. */
export function streamTaskStatus(data: unknown, at: Date) {
  const d = (data ?? {}) as Record<string, unknown>;
  const status = Number(d.Status);
  if (!(TASK_STATUS_CODES as readonly number[]).includes(status)) return null;
  return {
    status: status as TaskStatusCode,
    at,
    roomId: upstreamText(d.RoomId),
    streamId: upstreamText(d.StreamId),
    failReason: upstreamText(d.FailReason),
    upstreamCreatedAt: upstreamCreateTime(d.CreateTime),
  };
}
