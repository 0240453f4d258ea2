import { describeCode, ZegoError } from '../../src/zego/zego.errors';

describe('ZEGO return codes', () => {
  it.each([
    [100000004, 'clock_skew', true],
    [100000005, 'configuration', false],
    [100000001, 'configuration', false],
    [100000099, 'configuration', false],
    [400000001, 'invalid_request', false],
    [400000002, 'configuration', false],
    [400000005, 'not_found', false],
    [400010000, 'transient', true],
    [400010001, 'configuration', false],
    [400010002, 'transient', true],
    [400010007, 'transient', true],
    [400010009, 'rate_limited', true],
    [123, 'unknown', false],
  ])('maps %i to %s (retry: %s)', (code, kind, retryable) => {
    expect(describeCode(code).kind).toBe(kind);
    const error = ZegoError.fromCode('GetDriveStatus', code, 'upstream says so', 'req-1');
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(code);
    expect(error.message).toContain(String(code));
  });
});

describe('isUnsupportedAction', () => {
  it('counts HTTP 404, gateway rejections other than signature/time, and no-permission as unsupported', () => {
    const { isUnsupportedAction: unsupported, ZegoError: E } =
      jest.requireActual<typeof import('../../src/zego/zego.errors')>('../../src/zego/zego.errors');
    expect(unsupported(new E('GetDriveStatus', 'invalid_request', 'HTTP 404', null, undefined, 'http_404'))).toBe(true);
    expect(unsupported(E.fromCode('GetDriveStatus', 100000003, 'unsupported action'))).toBe(true);
    expect(unsupported(E.fromCode('GetDriveStatus', 400010001, 'no permission'))).toBe(true);
    expect(unsupported(E.fromCode('GetDriveStatus', 100000004, 'signature expired'))).toBe(false);
    expect(unsupported(E.fromCode('GetDriveStatus', 100000005, 'signature wrong'))).toBe(false);
    expect(unsupported(E.fromCode('GetDriveStatus', 400010009, 'rate limited'))).toBe(false);
    expect(unsupported(new E('GetDriveStatus', 'transient', 'HTTP 503', null, undefined, 'http_503'))).toBe(false);
    expect(unsupported(new Error('other'))).toBe(false);
  });
});
