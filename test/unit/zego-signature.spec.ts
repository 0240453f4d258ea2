import { newNonce, signCallback, signedQuery, signRequest } from '../../src/zego/zego-signature';

describe('ZEGO signatures', () => {
  it('matches the documented known-answer vector for request signing', () => {
    expect(signRequest(12345, '4fd24687296dd9f3', '9193cc662a4c0ec135ec71fb57194b38', 1615186943)).toBe(
      '43e5cfcca828314675f91b001390566a',
    );
  });

  it('matches the documented known-answer vector for callback signing', () => {
    expect(signCallback('secret', '1470820198', '123412')).toBe('5bd59fd62953a8059fb7eaba95720f66d19e4517');
  });

  it('makes a fresh 16-hex-character nonce for every call', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{16}$/);
  });

  it('puts the common parameters in the query, signed, and never the secret itself', () => {
    const secret = 'top-secret-server-secret-0123456789';
    const q = signedQuery('GetDriveStatus', '12345', secret, 1615186943_000);
    expect(q).toMatchObject({
      Action: 'GetDriveStatus',
      AppId: '12345',
      Timestamp: '1615186943',
      SignatureVersion: '2.0',
    });
    expect(q.Signature).toBe(signRequest('12345', q.SignatureNonce, secret, 1615186943));
    expect(JSON.stringify(q)).not.toContain(secret);
  });
});
