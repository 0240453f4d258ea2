/**
 * What the upstream client tells the outside about its calls, and nothing more: the metrics module
 * provides an implementation; the client knows only this interface (and works without one).
 */
export interface UpstreamObserver {
  /** An upstream call ended: `code` is the ZEGO return code ('0' on success) or the failure's kind. */
  callEnded(action: string, code: string, seconds: number): void;
  /** How long a call waited for its turn in the shared rate limiter. */
  limiterWaited(seconds: number): void;
  /** The circuit breaker opened (true) or closed again (false). */
  circuitChanged(open: boolean): void;
}

export const UPSTREAM_OBSERVER = Symbol('UPSTREAM_OBSERVER');
