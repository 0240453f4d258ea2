import { signCallback } from '../../src/zego/zego-signature';
import { TEST_APP_ID } from './harness';

let counter = 0;

/** A drive event (EventType 4) as ZEGO sends it, signed with `secret`, with a nonce of its own. */
export function driveCallback(secret: string, taskId: string, driveId: string, status: number, eventTime = Date.now()) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = `n${process.pid}-${++counter}`;
  return {
    AppId: Number(TEST_APP_ID),
    EventType: 4,
    Nonce: nonce,
    Timestamp: timestamp,
    Signature: signCallback(secret, timestamp, nonce),
    EventTime: eventTime,
    TaskId: taskId,
    Detail: { DriveId: driveId, Status: status },
  };
}
