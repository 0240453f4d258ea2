import { parseRoomMessage, RoomMessageError } from '../../src/client-relay/room-message';

const sdk = (Data: unknown, extra: Record<string, unknown> = {}) => ({
  Product: 'digitalhuman',
  Cmd: 1001,
  Data,
  ...extra,
});

describe('parseRoomMessage (the Express SDK room message)', () => {
  it('reads a drive status from the object and from its JSON text', () => {
    expect(parseRoomMessage(sdk({ Status: 2, DriveId: 'drive_a' }), 'm')).toEqual({
      kind: 'drive',
      driveId: 'drive_a',
      status: 2,
    });
    const text = '{"Product":"digitalhuman","Cmd":1001,"Data":{"Status":4,"DriveId":"drive_b"}}';
    expect(parseRoomMessage(text, 'm')).toEqual({ kind: 'drive', driveId: 'drive_b', status: 4 });
  });

  it('ignores unknown fields', () => {
    expect(parseRoomMessage(sdk({ Status: 4, DriveId: 'd1', Seq: 7 }, { Extra: true }), 'm')).toMatchObject({
      kind: 'drive',
      status: 4,
    });
  });

  it.each([
    ['another Product', { Product: 'im', Cmd: 1001, Data: {} }],
    ['another Cmd', { Product: 'digitalhuman', Cmd: 1002, Data: 'anything' }],
    ['a status the room message does not carry', sdk({ Status: 3, DriveId: 'd1' })],
    ['queued', sdk({ Status: 1, DriveId: 'd1' })],
  ])('acknowledges %s as ignored', (_name, message) => {
    expect(parseRoomMessage(message, 'm')).toMatchObject({ kind: 'ignored', reason: expect.any(String) });
  });

  it.each([
    ['not JSON text', '{"Product":', 'messages[3]'],
    ['not an object', 42, 'messages[3]'],
    ['an array', [sdk({ Status: 2, DriveId: 'd' })], 'messages[3]'],
    ['no Product', { Cmd: 1001 }, 'messages[3].Product'],
    ['a Cmd that is not a number', { Product: 'digitalhuman', Cmd: '1001' }, 'messages[3].Cmd'],
    ['no Data', { Product: 'digitalhuman', Cmd: 1001 }, 'messages[3].Data'],
    ['a bad DriveId', sdk({ Status: 2, DriveId: 'drive with spaces' }), 'messages[3].Data.DriveId'],
    ['no DriveId', sdk({ Status: 2 }), 'messages[3].Data.DriveId'],
    ['a Status that is not a whole number', sdk({ Status: '2', DriveId: 'd' }), 'messages[3].Data.Status'],
    ['text that is too long', 'x'.repeat(5000), 'messages[3]'],
  ])('refuses %s, naming the field', (_name, message, field) => {
    let caught: unknown;
    try {
      parseRoomMessage(message, 'messages[3]');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RoomMessageError);
    expect((caught as RoomMessageError).field).toBe(field);
    expect((caught as Error).message.startsWith(`${field} `)).toBe(true);
  });
});
