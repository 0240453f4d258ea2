import { callbackTimeMs, trustedEventTime, verifyCallback } from '../../src/callbacks/zego-callback';
import { toCsv } from '../../src/reports/csv';
import { ceilTo, floorTo } from '../../src/drives/failure-buckets';
import { signedCallback } from '../support/callbacks';

const SECRET = 'callback-secret-123';
const NOW = Date.parse('2026-11-24T10:00:00Z');

function body(overrides: Record<string, unknown> = {}, timestamp = String(NOW / 1000), nonce = '778899') {
  return signedCallback(
    SECRET,
    { EventType: 4, EventTime: NOW - 5, TaskId: 'task_1', Detail: { DriveId: 'drive_1', Status: 2 }, ...overrides },
    { timestamp, nonce },
  );
}

describe('verifyCallback', () => {
  it('accepts a signed drive event, ignoring unknown fields', () => {
    const v = verifyCallback({ ...body(), Extra: { new: 'field' } }, SECRET, '1234567890', NOW);
    expect(v).toEqual({
      ok: true,
      event: { kind: 'drive', taskId: 'task_1', driveId: 'drive_1', status: 2, eventTime: new Date(NOW - 5) },
      receipt: expect.objectContaining({ nonce: expect.any(String), timestamp: expect.any(String) }),
    });
  });

  it.each([
    ['far in the future (year 33658)', 1e15],
    ['beyond what a date can hold', 1e16],
    ['the epoch', 1],
    ['negative', -5],
    ['a fraction', NOW - 0.5],
    ['more than a day old', NOW - 24 * 3600_000 - 1],
    ['more than a minute ahead', NOW + 60_001],
    ['a string', String(NOW)],
    ['the largest double', Number.MAX_VALUE],
  ])('does not believe an EventTime %s: the event is taken at its time of arrival', (_name, eventTime) => {
    const v = verifyCallback(body({ EventTime: eventTime }), SECRET, '1234567890', NOW);
    expect(v).toMatchObject({ ok: true, event: { eventTime: null } });
  });

  it('believes an EventTime from a day before to a minute after arrival', () => {
    expect(trustedEventTime(NOW - 24 * 3600_000, NOW)).toEqual(new Date(NOW - 24 * 3600_000));
    expect(trustedEventTime(NOW + 60_000, NOW)).toEqual(new Date(NOW + 60_000));
  });

  it('binds the receipt to the body: same body, same digest; another body, another digest', () => {
    const digest = (b: unknown) => {
      const v = verifyCallback(b, SECRET, '1234567890', NOW);
      if (!v.ok) throw new Error(v.message);
      return v.receipt.bodySha256.toString('hex');
    };
    expect(digest(body())).toBe(digest(body()));
    expect(digest(body({ Detail: { DriveId: 'drive_1', Status: 3 } }))).not.toBe(digest(body()));
    const v = verifyCallback(body(), SECRET, '1234567890', NOW);
    expect(v).toMatchObject({
      ok: true,
      receipt: { timestamp: String(NOW / 1000), nonce: '778899', sentAt: new Date(NOW) },
    });
  });

  it('names a callback by its Signature: every re-split of Timestamp and Nonce is the same callback', () => {
    // The example: 1795512000 + 512345, re-sent as 1795512000512 (milliseconds, the same
    // instant) + 345. The signature covers the sorted concatenation only, so it is the same.
    const at = 1795512000_000;
    const genuine = body({}, '1795512000', '512345');
    const resplit = body({}, '1795512000512', '345');
    expect(resplit.Signature).toBe(genuine.Signature);
    const a = verifyCallback(genuine, SECRET, '1234567890', at);
    const b = verifyCallback(resplit, SECRET, '1234567890', at);
    if (!a.ok || !b.ok) throw new Error('both splits verify');
    expect(b.receipt.signature).toBe(a.receipt.signature);
    expect(a.receipt.signature).toBe(genuine.Signature);
    // The bodies differ, so the second is a replay, not a retry.
    expect(b.receipt.bodySha256.equals(a.receipt.bodySha256)).toBe(false);
    expect(b.receipt.sentAt.getTime() - a.receipt.sentAt.getTime()).toBe(512);
    // The signature in capitals is the same callback too.
    const upper = verifyCallback({ ...genuine, Signature: genuine.Signature.toUpperCase() }, SECRET, '1234567890', at);
    expect(upper).toMatchObject({ ok: true, receipt: { signature: genuine.Signature } });
  });

  it('gives a receipt with every verified callback, refused or not, and none with an unverified one', () => {
    const receipt = { signature: body().Signature };
    expect(verifyCallback(body({ EventType: 9 }), SECRET, '1234567890', NOW)).toMatchObject({ ok: true, receipt });
    expect(verifyCallback(body({ AppId: 42 }), SECRET, '1234567890', NOW)).toMatchObject({ status: 403, receipt });
    expect(verifyCallback(body({ TaskId: 'a/b' }), SECRET, '1234567890', NOW)).toMatchObject({ status: 400, receipt });
    expect(verifyCallback(body({ Detail: null }), SECRET, '1234567890', NOW)).toMatchObject({ status: 400, receipt });
    for (const unverified of [
      body({ Signature: 'f'.repeat(40) }),
      body({}, String(Math.floor((NOW - 601_000) / 1000))),
      body({}, String(NOW / 1000), 'a\u0000b'),
    ]) {
      const v = verifyCallback(unverified, SECRET, '1234567890', NOW);
      expect(v.ok).toBe(false);
      expect('receipt' in v).toBe(false);
    }
  });

  it.each([
    ['a Nonce longer than 128 characters', 'n'.repeat(129)],
    ['a Nonce with a NUL', 'ab\u0000c'],
    ['a Nonce with a line break', 'ab\ncd'],
  ])('refuses %s with 400', (_name, nonce) => {
    const ts = String(NOW / 1000);
    expect(verifyCallback(body({}, ts, nonce), SECRET, '1234567890', NOW)).toMatchObject({
      ok: false,
      status: 400,
      reason: 'malformed',
    });
  });

  it('drops free text PostgreSQL could not store (a NUL) from a stream task event', () => {
    const v = verifyCallback(
      body({ EventType: 3, Detail: { Status: 3, RoomId: 'room\u0000x', StreamId: 'stream_1' } }),
      SECRET,
      '1234567890',
      NOW,
    );
    expect(v).toMatchObject({ ok: true, event: { kind: 'task', roomId: undefined, streamId: 'stream_1' } });
  });

  it('accepts timestamps in seconds and in milliseconds', () => {
    expect(callbackTimeMs('1470820198')).toBe(1470820198000);
    expect(callbackTimeMs('1470820198123')).toBe(1470820198123);
    expect(verifyCallback(body({}, String(NOW)), SECRET, '1234567890', NOW).ok).toBe(true);
  });

  it.each([
    ['no signature', { Signature: undefined }, 401, 'unsigned'],
    ['a wrong signature', { Signature: 'f'.repeat(40) }, 401, 'bad_signature'],
    ['another AppId', { AppId: 42 }, 403, 'foreign_app'],
    ['a bad TaskId', { TaskId: 'a/b' }, 400, 'malformed'],
    ['no Detail', { Detail: undefined }, 400, 'malformed'],
    ['an unknown drive status', { Detail: { DriveId: 'd', Status: 9 } }, 400, 'malformed'],
    ['an unknown task status', { EventType: 3, Detail: { Status: 0 } }, 400, 'malformed'],
  ])('refuses %s', (_name, overrides, status, reason) => {
    expect(verifyCallback(body(overrides), SECRET, '1234567890', NOW)).toMatchObject({ ok: false, status, reason });
  });

  it('refuses a body signed with another secret, and a non-object body', () => {
    const forged = body({
      Signature: signedCallback('other-secret', {}, { timestamp: String(NOW / 1000), nonce: '778899' }).Signature,
    });
    expect(verifyCallback(forged, SECRET, '1234567890', NOW)).toMatchObject({ status: 401 });
    expect(verifyCallback([1, 2], SECRET, '1234567890', NOW)).toMatchObject({ status: 400 });
  });

  it('refuses a replay more than 10 minutes old or ahead, in either unit', () => {
    const old = String(Math.floor((NOW - 601_000) / 1000));
    expect(verifyCallback(body({}, old), SECRET, '1234567890', NOW)).toMatchObject({ status: 401, reason: 'stale' });
    expect(verifyCallback(body({}, String(NOW + 601_000)), SECRET, '1234567890', NOW)).toMatchObject({
      status: 401,
      reason: 'stale',
    });
    expect(verifyCallback(body({}, String(Math.floor((NOW - 590_000) / 1000))), SECRET, '1234567890', NOW).ok).toBe(
      true,
    );
  });

  it('reads stream task events and accepts unknown event types as "other"', () => {
    const task = verifyCallback(
      body({ EventType: 3, Detail: { Status: 5, RoomId: 'r', StreamId: 's' } }),
      SECRET,
      '1234567890',
      NOW,
    );
    expect(task).toMatchObject({ ok: true, event: { kind: 'task', status: 5, roomId: 'r', streamId: 's' } });
    expect(verifyCallback(body({ EventType: 9 }), SECRET, '1234567890', NOW)).toMatchObject({
      ok: true,
      event: { kind: 'other' },
    });
  });
});

describe('csv', () => {
  it('writes a header and quotes what needs quoting', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          { a: 'x,y', b: 'say "hi"' },
          { a: 1, b: null },
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
  });
  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(toCsv(['a'], [{ a: '=cmd()' }, { a: -1.5 }])).toBe(`a\r\n"'=cmd()"\r\n-1.5\r\n`);
  });
});

describe('week buckets', () => {
  it('start on Monday 00:00 UTC', () => {
    expect(new Date(floorTo('week', Date.parse('2026-11-26T15:00:00Z'))).toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect(new Date(ceilTo('week', Date.parse('2026-11-26T15:00:00Z'))).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(ceilTo('hour', Date.parse('2026-11-26T15:00:00Z'))).toBe(Date.parse('2026-11-26T15:00:00Z'));
  });
});
