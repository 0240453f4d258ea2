import { ID_PATTERN, ID_RULE } from '../common/ids';

/** The room message ZEGO's Express SDK hands the app for a drive status (release note 2026-03-24). */
export const DIGITAL_HUMAN_PRODUCT = 'digitalhuman';
export const DRIVE_STATUS_CMD = 1001;
/** The statuses a room message carries: 2 started speaking, 4 finished speaking (never queued or failed). */
export const ROOM_MESSAGE_STATUSES = [2, 4] as const;
export type RoomMessageStatus = (typeof ROOM_MESSAGE_STATUSES)[number];

/** Longest message accepted as a JSON string (the SDK's are under 200 characters). */
export const MAX_MESSAGE_TEXT = 4096;

export type RoomMessage =
  { kind: 'drive'; driveId: string; status: RoomMessageStatus } | { kind: 'ignored'; reason: string };

/** A relayed message that cannot be read; `field` names what is wrong (e.g. `messages[2].Data.DriveId`). */
export class RoomMessageError extends Error {
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field} ${rule}`);
    this.name = 'RoomMessageError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads one room message as the app received it: the object, or the JSON text of it (the SDK
 * delivers a string, and a relay may pass it on untouched). A drive status (Product `digitalhuman`,
 * Cmd 1001, Status 2 or 4) gives the drive; any other Product, Cmd or Status is `ignored`, so that
 * a relay forwarding every room message keeps working when ZEGO adds new ones. Unknown fields are
 * ignored. What cannot be a room message at all, or a drive status with a malformed Data, throws
 * RoomMessageError naming the field.
 */
export function parseRoomMessage(entry: unknown, field: string): RoomMessage {
  let message = entry;
  if (typeof entry === 'string') {
    if (entry.length > MAX_MESSAGE_TEXT)
      throw new RoomMessageError(field, `must be at most ${MAX_MESSAGE_TEXT} characters`);
    try {
      message = JSON.parse(entry) as unknown;
    } catch {
      throw new RoomMessageError(field, 'is a string but not JSON (send the message as an object or its JSON text)');
    }
  }
  if (!isObject(message)) throw new RoomMessageError(field, 'must be a room message: an object or its JSON text');
  const { Product, Cmd, Data } = message;
  if (typeof Product !== 'string') throw new RoomMessageError(`${field}.Product`, 'must be a string');
  if (typeof Cmd !== 'number' || !Number.isSafeInteger(Cmd))
    throw new RoomMessageError(`${field}.Cmd`, 'must be a whole number');
  if (Product !== DIGITAL_HUMAN_PRODUCT || Cmd !== DRIVE_STATUS_CMD) {
    return {
      kind: 'ignored',
      reason: `Product ${JSON.stringify(Product.slice(0, 64))} Cmd ${Cmd} is not a drive status`,
    };
  }
  if (!isObject(Data)) throw new RoomMessageError(`${field}.Data`, 'must be an object { Status, DriveId }');
  if (typeof Data.DriveId !== 'string' || !ID_PATTERN.test(Data.DriveId))
    throw new RoomMessageError(`${field}.Data.DriveId`, ID_RULE);
  const status = Data.Status;
  if (typeof status !== 'number' || !Number.isSafeInteger(status))
    throw new RoomMessageError(`${field}.Data.Status`, 'must be a whole number (2 started speaking, 4 finished)');
  if (!(ROOM_MESSAGE_STATUSES as readonly number[]).includes(status)) {
    return { kind: 'ignored', reason: `Status ${status} is not one a room message carries (2 or 4)` };
  }
  return { kind: 'drive', driveId: Data.DriveId, status: status as RoomMessageStatus };
}
