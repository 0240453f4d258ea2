import { newNonce, signCallback } from '../../src/zego/zego-signature';
import { TEST_APP_ID } from './account';

/** What a test may fix of a callback's signing; a fresh Timestamp and a random Nonce otherwise. */
export interface Signing {
  timestamp?: string;
  nonce?: string;
}

/**
 * A ZEGO callback signed with `secret`, the one way every test and benchmark signs one: AppId
 * (the test account), Nonce, Timestamp and Signature, then the fields given (which may replace
 * any of them, to forge one). ZEGO's signature covers only the secret, Timestamp and Nonce.
 */
export function signedCallback(secret: string, fields: Record<string, unknown>, signing: Signing = {}) {
  const timestamp = signing.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = signing.nonce ?? newNonce();
  return {
    AppId: Number(TEST_APP_ID),
    Nonce: nonce,
    Timestamp: timestamp,
    Signature: signCallback(secret, timestamp, nonce),
    ...fields,
  };
}

/** A drive event (EventType 4) as ZEGO sends it. */
export function driveCallback(
  secret: string,
  taskId: string,
  driveId: string,
  status: number,
  eventTime: unknown = Date.now(),
  signing: Signing = {},
) {
  return signedCallback(
    secret,
    { EventType: 4, EventTime: eventTime, TaskId: taskId, Detail: { DriveId: driveId, Status: status } },
    signing,
  );
}

/** A stream task event (EventType 3) as ZEGO sends it. */
export function taskCallback(secret: string, taskId: string, status: number, signing: Signing = {}) {
  return signedCallback(
    secret,
    { EventType: 3, EventTime: Date.now(), TaskId: taskId, Detail: { Status: status } },
    signing,
  );
}
