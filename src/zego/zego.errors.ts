/** How the caller should react to a failed upstream call. */
export type ZegoErrorKind =
  | 'transient' // retry with backoff
  | 'rate_limited' // slow down, retry inside the shared budget
  | 'clock_skew' // retry with a fresh signature, and tell someone the clock is off
  | 'not_found' // the task ended or never existed upstream
  | 'invalid_request' // our request is wrong: no retry
  | 'configuration' // credentials or account set-up: no retry, report unhealthy
  | 'circuit_open' // not attempted: the upstream has been failing; wait for the circuit to close
  | 'stopped' // not attempted: the service is shutting down
  | 'unknown'; // a code we do not know: no blind retry

interface CodeInfo {
  kind: ZegoErrorKind;
  meaning: string;
}

/** Every return code that upstream-zego.md lists, with what it means for us. */
const CODES: Record<number, CodeInfo> = {
  100000004: { kind: 'clock_skew', meaning: 'signature expired (clock skew)' },
  100000005: { kind: 'configuration', meaning: 'signature wrong (check ZEGO_APP_ID and ZEGO_SERVER_SECRET)' },
  400000001: { kind: 'invalid_request', meaning: 'invalid parameter' },
  400000002: { kind: 'configuration', meaning: 'service not enabled for this account' },
  400000005: { kind: 'not_found', meaning: 'task not found' },
  400010000: { kind: 'transient', meaning: 'system error' },
  400010001: { kind: 'configuration', meaning: 'no permission for this action' },
  400010002: { kind: 'transient', meaning: 'system busy' },
  400010007: { kind: 'transient', meaning: 'insufficient resources' },
  400010009: { kind: 'rate_limited', meaning: 'rate limited' },
};

export function describeCode(code: number): CodeInfo {
  const known = CODES[code];
  if (known) return known;
  if (code >= 100000000 && code < 100000100) {
    return { kind: 'configuration', meaning: 'rejected by the gateway (AppId, timestamp, action or missing fields)' };
  }
  return { kind: 'unknown', meaning: 'unknown return code' };
}

const RETRYABLE: ReadonlySet<ZegoErrorKind> = new Set(['transient', 'rate_limited', 'clock_skew']);

/** A failed upstream call. Its message is safe to log and to store: it never holds a secret. */
export class ZegoError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly action: string,
    readonly kind: ZegoErrorKind,
    detail: string,
    readonly code: number | null = null,
    readonly requestId?: string,
    /** What happened when there is no return code: timeout, network, http_5xx, not_json, ... */
    readonly outcome: string = code !== null ? String(code) : kind,
  ) {
    super(`${action}: ${detail}`);
    this.name = 'ZegoError';
    this.retryable = RETRYABLE.has(kind);
  }

  static fromCode(action: string, code: number, upstreamMessage: unknown, requestId?: string): ZegoError {
    const { kind, meaning } = describeCode(code);
    const said = typeof upstreamMessage === 'string' && upstreamMessage ? ` ("${upstreamMessage.slice(0, 200)}")` : '';
    return new ZegoError(action, kind, `upstream code ${code}, ${meaning}${said}`, code, requestId);
  }
}

/**
 * True when an action is refused as not served (rather than failing): HTTP 404, a gateway
 * rejection other than the signature and time codes, or "no permission for this action". ZEGO
 * removed GetDriveStatus from its documentation in 2025; this is how its absence may look.
 */
export function isUnsupportedAction(err: unknown): boolean {
  if (!(err instanceof ZegoError)) return false;
  if (err.outcome === 'http_404') return true;
  const code = err.code;
  if (code === 400010001) return true;
  return code !== null && code >= 100000000 && code < 100000100 && code !== 100000004 && code !== 100000005;
}
