import { createHash, timingSafeEqual } from 'node:crypto';
import { ID_PATTERN, ID_RULE } from '../common/ids';
import type { CallbackReceipt } from '../drives/callback-receipts.repository';
import { signCallback } from '../zego/zego-signature';
import { DRIVE_STATUS_CODES, DriveStatusCode, TaskStatusCode } from '../zego/zego.types';

/** A callback older or newer than this (against our clock) is refused, so it cannot be replayed. */
export const CALLBACK_MAX_AGE_MS = 10 * 60_000;

/**
 * How far an event's own `EventTime` may lie from the moment we receive it and still be believed:
 * ZEGO retries for about a minute, queues may hold events longer, but nothing legitimate happens
 * in the future or a day ago. Outside this window the event is recorded at the time it arrived.
 */
export const EVENT_TIME_PAST_MS = 24 * 3600_000;
export const EVENT_TIME_FUTURE_MS = 60_000;

/** Longest Nonce accepted (ZEGO sends a short random number). */
export const NONCE_MAX_LENGTH = 128;
const NONCE_PATTERN = new RegExp(`^[\\x20-\\x7e]{0,${NONCE_MAX_LENGTH}}$`);

export type CallbackEvent =
  | { kind: 'drive'; taskId: string; driveId: string; status: DriveStatusCode; eventTime: Date | null }
  | {
      kind: 'task';
      taskId: string;
      status: TaskStatusCode;
      roomId?: string;
      streamId?: string;
      failReason?: string;
      eventTime: Date | null;
    }
  | { kind: 'other'; eventType: unknown };

/**
 * `receipt` comes with every callback whose signature and Timestamp were verified, accepted or not:
 * whatever becomes of it, its signature is then bound to its body (see CallbackReceipt).
 */
export type CallbackVerdict =
  | { ok: true; event: CallbackEvent; receipt: CallbackReceipt }
  | {
      ok: false;
      status: 400 | 401 | 403;
      reason: 'malformed' | 'unsigned' | 'bad_signature' | 'stale' | 'foreign_app';
      message: string;
      receipt?: CallbackReceipt;
    };

const fail = (
  status: 400 | 401 | 403,
  reason: Extract<CallbackVerdict, { ok: false }>['reason'],
  message: string,
  receipt?: CallbackReceipt,
): CallbackVerdict => ({
  ok: false,
  status,
  reason,
  message,
  ...(receipt && { receipt }),
});

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

/** ZEGO documents Timestamp in milliseconds in one place and shows seconds in its examples. */
export function callbackTimeMs(timestamp: string): number | null {
  if (!/^\d{1,16}$/.test(timestamp)) return null;
  const n = Number(timestamp);
  return n > 1e11 ? n : n * 1000;
}

function sameText(a: string, b: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and nothing learned from timing.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * Checks a callback body in the order that tells the sender the most without telling an attacker
 * anything: signature (401), freshness (401), our AppId (403), then the event's shape (400).
 * Unknown fields are ignored; unknown event types are accepted as `other`.
 */
export function verifyCallback(body: unknown, secret: string, appId: string, now = Date.now()): CallbackVerdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail(400, 'malformed', 'the body must be a JSON object');
  const b = body as Record<string, unknown>;
  const signature = text(b.Signature);
  const timestamp = text(b.Timestamp);
  const nonce = text(b.Nonce);
  if (!signature || !timestamp || nonce === undefined)
    return fail(401, 'unsigned', 'Signature, Timestamp and Nonce are required');
  if (!NONCE_PATTERN.test(nonce) || timestamp.length > 32)
    return fail(
      400,
      'malformed',
      `Nonce must be at most ${NONCE_MAX_LENGTH} printable ASCII characters and Timestamp at most 32 characters`,
    );
  const expected = signCallback(secret, timestamp, nonce);
  if (!sameText(signature.toLowerCase(), expected)) return fail(401, 'bad_signature', 'the signature does not match');
  const sentAt = callbackTimeMs(timestamp);
  if (sentAt === null || Math.abs(now - sentAt) > CALLBACK_MAX_AGE_MS) {
    return fail(401, 'stale', 'Timestamp is more than 10 minutes away from now');
  }
  // Verified from here on: whatever the answer, the receipt goes with it.
  const receipt: CallbackReceipt = {
    // The signature in one spelling: an upper-case copy is the same callback.
    signature: expected,
    timestamp,
    nonce,
    sentAt: new Date(sentAt),
    // The body as parsed, in the order received: ZEGO's retries are byte-for-byte the same event.
    bodySha256: createHash('sha256').update(JSON.stringify(body)).digest(),
  };
  if (text(b.AppId) !== appId) return fail(403, 'foreign_app', 'AppId is not this service’s account', receipt);

  const taskId = b.TaskId;
  if (typeof taskId !== 'string' || !ID_PATTERN.test(taskId))
    return fail(400, 'malformed', `TaskId ${ID_RULE}`, receipt);
  const detail = b.Detail;
  const eventTime = trustedEventTime(b.EventTime, now);
  if (b.EventType === 4) {
    const d = detail as { DriveId?: unknown; Status?: unknown } | undefined;
    if (typeof d?.DriveId !== 'string' || !ID_PATTERN.test(d.DriveId))
      return fail(400, 'malformed', `Detail.DriveId ${ID_RULE}`, receipt);
    if (!DRIVE_STATUS_CODES.includes(d.Status as DriveStatusCode))
      return fail(400, 'malformed', 'Detail.Status must be 1, 2, 3 or 4 for a drive event', receipt);
    return {
      ok: true,
      event: { kind: 'drive', taskId, driveId: d.DriveId, status: d.Status as DriveStatusCode, eventTime },
      receipt,
    };
  }
  if (b.EventType === 3) {
    const d = detail as { Status?: unknown; RoomId?: unknown; StreamId?: unknown; FailReason?: unknown } | undefined;
    if (![1, 2, 3, 4, 5].includes(d?.Status as number))
      return fail(400, 'malformed', 'Detail.Status must be 1 to 5 for a stream task event', receipt);
    // Free text is kept only when PostgreSQL can store it (no NUL) and it is of a sensible length.
    const opt = (v: unknown) => (typeof v === 'string' && v.length <= 512 && !v.includes('\u0000') ? v : undefined);
    return {
      ok: true,
      event: {
        kind: 'task',
        taskId,
        status: d!.Status as TaskStatusCode,
        roomId: opt(d!.RoomId),
        streamId: opt(d!.StreamId),
        failReason: opt(d!.FailReason),
        eventTime,
      },
      receipt,
    };
  }
  return { ok: true, event: { kind: 'other', eventType: b.EventType }, receipt };
}

/**
 * The event's own time when it is believable: a whole number of milliseconds within a day before
 * and a minute after `now`. Anything else (missing, 1, 1e15, a string) gives null, and the event is
 * recorded at the time it was received: a late or wrong clock must not rewrite history or the
 * hourly aggregates, and refusing the event would make ZEGO retry it in vain.
 */
export function trustedEventTime(value: unknown, now: number): Date | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return null;
  if (value < now - EVENT_TIME_PAST_MS || value > now + EVENT_TIME_FUTURE_MS) return null;
  return new Date(value);
}
