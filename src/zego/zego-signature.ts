import { createHash, randomBytes } from 'node:crypto';

/** md5(AppId + SignatureNonce + ServerSecret + Timestamp), lowercase hex: ZEGO's signature 2.0. */
export function signRequest(
  appId: string | number,
  nonce: string,
  serverSecret: string,
  timestampSeconds: number,
): string {
  return createHash('md5').update(`${appId}${nonce}${serverSecret}${timestampSeconds}`).digest('hex');
}

/** 16 hex characters from 8 random bytes, new for every call. */
export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

/** The common query parameters of one signed call (the secret itself never leaves this module). */
export function signedQuery(
  action: string,
  appId: string,
  serverSecret: string,
  now = Date.now(),
): Record<string, string> {
  const nonce = newNonce();
  const timestamp = Math.floor(now / 1000);
  return {
    Action: action,
    AppId: appId,
    SignatureNonce: nonce,
    Timestamp: String(timestamp),
    SignatureVersion: '2.0',
    Signature: signRequest(appId, nonce, serverSecret, timestamp),
  };
}

/** Callback signature: SHA-1 of the sorted concatenation of secret, timestamp and nonce. */
export function signCallback(callbackSecret: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([callbackSecret, timestamp, nonce].sort().join('')).digest('hex');
}
