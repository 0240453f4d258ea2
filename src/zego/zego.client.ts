import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AxiosError } from 'axios';
import http from 'node:http';
import https from 'node:https';
import Bottleneck from 'bottleneck';
import {
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  retry,
  RetryPolicy,
} from 'cockatiel';
import { ID_PATTERN } from '../common/ids';
import { annotate, bindToActive, inSpan } from '../tracing/spans';
import { signedQuery } from './zego-signature';
import { UPSTREAM_OBSERVER, UpstreamObserver } from './upstream-observer';
import { ZegoError } from './zego.errors';
import { DRIVE_STATUS_CODES, DriveStatusCode, ZegoDrive } from './zego.types';

export const ZEGO_OPTIONS = Symbol('ZEGO_OPTIONS');
/** Largest upstream answer read (a drive list of tens of thousands of drives fits). */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** How late a limiter timer may fire and still count as on time. */
const LATE_TIMER_MS = 10;

export interface ZegoClientOptions {
  baseUrl: string;
  appId: string;
  serverSecret: string;
  /** Upstream requests per second, every action and every retry together. */
  rateLimit: number;
  timeoutMs: number;
  /** Attempts per call, the first included (transient failures only are retried). */
  maxAttempts?: number;
  /** Consecutive transient failures that open the circuit. */
  circuitThreshold?: number;
  /** How long an open circuit waits before letting one probe call through. */
  circuitHalfOpenAfterMs?: number;
}

interface Envelope {
  Code?: unknown;
  Message?: unknown;
  RequestId?: unknown;
  Data?: unknown;
}

/**
 * The only code that knows how to talk to ZEGO: signing, the response envelope, return codes,
 * time-outs, retries and the shared rate budget. Every call, retries included, waits its turn in
 * one limiter, so the service never sends more than `rateLimit` requests in any second.
 */
@Injectable()
export class ZegoClient {
  private readonly logger = new Logger(ZegoClient.name);
  private readonly limiter: Bottleneck;
  private readonly periodMs: number;
  private readonly afterWriteMs: number;
  /** Earliest planned start of the next call (see throughLimiter). */
  private nextStart = 0;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  /** The last answer that says our credentials or account are wrong; cleared by any success. */
  private configurationProblem: string | null = null;
  /** Set at shutdown: calls not yet sent are dropped, new ones refused. */
  private stopping = false;

  constructor(
    private readonly http: HttpService,
    @Inject(ZEGO_OPTIONS) private readonly options: ZegoClientOptions,
    @Optional() @Inject(UPSTREAM_OBSERVER) private readonly observer?: UpstreamObserver,
  ) {
    // One call at a time holds the limiter (its answer is awaited outside it) until two things are
    // true: `period` (1000/limit ms + 4.5%) has passed since its planned start, and 90% of
    // 1000/limit ms since its request was actually written to the socket. Planned starts are at
    // least a period apart, and a write delayed by a stall of our event loop pushes the next start
    // back, so any `limit + 1` requests leave at least 0.9 + 9 × 1.045 ≈ 10.3 budget intervals
    // (1030 ms at 10/s) apart on the wire: 30 ms of slack for the network. Up to 95.7% of the
    // budget is usable.
    this.periodMs = (1000 / options.rateLimit) * 1.045;
    this.afterWriteMs = (1000 / options.rateLimit) * 0.9;
    this.limiter = new Bottleneck({ maxConcurrent: 1 });
    this.retryPolicy = retry(
      handleWhen((err) => err instanceof ZegoError && err.retryable),
      {
        maxAttempts: (options.maxAttempts ?? 3) - 1,
        backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4000 }),
      },
    );
    this.retryPolicy.onRetry((event) => {
      const reason = 'error' in event ? event.error.message : 'unexpected result';
      this.logger.warn(`retrying after ${Math.round(event.delay)} ms: ${reason}`);
    });
    // Sustained transient failure opens the circuit: calls then fail at once, without spending
    // upstream budget, until a probe call after `halfOpenAfter` succeeds.
    this.breaker = circuitBreaker(
      handleWhen((err) => err instanceof ZegoError && (err.kind === 'transient' || err.kind === 'rate_limited')),
      {
        halfOpenAfter: options.circuitHalfOpenAfterMs ?? 10_000,
        breaker: new ConsecutiveBreaker(options.circuitThreshold ?? 10),
      },
    );
    this.breaker.onBreak(() => {
      this.logger.error('upstream circuit opened after repeated failures; calls are paused and probed');
      this.observer?.circuitChanged(true);
    });
    this.breaker.onReset(() => {
      this.logger.log('upstream circuit closed again');
      this.observer?.circuitChanged(false);
      for (const listener of this.recoveryListeners) listener();
    });
  }

  private readonly recoveryListeners: Array<() => void> = [];

  /** Calls `listener` whenever the upstream works again after the circuit had opened. */
  onRecovery(listener: () => void): void {
    this.recoveryListeners.push(listener);
  }

  /** True while the circuit breaker refuses calls. */
  get circuitOpen(): boolean {
    return this.breaker.state === CircuitState.Open || this.breaker.state === CircuitState.Isolated;
  }

  /** Why the upstream refuses our credentials or account, if its last word on that was a refusal. */
  get credentialsProblem(): string | null {
    return this.configurationProblem;
  }

  get appId(): string {
    return this.options.appId;
  }

  get requestsPerSecond(): number {
    return this.options.rateLimit;
  }

  /** Every drive of a stream task, with its status. */
  async getDriveStatus(taskId: string, options: { quiet?: boolean } = {}): Promise<ZegoDrive[]> {
    const data = await this.call('GetDriveStatus', { TaskId: taskId }, options);
    const list = (data as { DriveList?: unknown })?.DriveList ?? [];
    if (!Array.isArray(list))
      throw new ZegoError('GetDriveStatus', 'transient', 'malformed answer: DriveList is not a list');
    const drives: ZegoDrive[] = [];
    let unusable = 0;
    for (const item of list) {
      const driveId = (item as { DriveId?: unknown })?.DriveId;
      const status = Number((item as { Status?: unknown })?.Status);
      if (typeof driveId !== 'string' || !driveId || !DRIVE_STATUS_CODES.includes(status as DriveStatusCode)) {
        throw new ZegoError(
          'GetDriveStatus',
          'transient',
          'malformed answer: a drive without a DriveId or a known Status',
        );
      }
      // An id the record cannot hold (too long, odd characters) is left out; the rest is used.
      if (!ID_PATTERN.test(driveId)) unusable++;
      else drives.push({ driveId, status: status as DriveStatusCode });
    }
    if (unusable)
      this.logger.warn(`task ${taskId}: ${unusable} drive(s) with an id outside ${ID_PATTERN.source} left out`);
    return drives;
  }

  /**
   * One signed call, rate-limited and retried when the failure is transient. Returns `Data`.
   * `background` calls (discovery) wait behind polls in the limiter's queue, so they never starve them.
   */
  async call(
    action: string,
    body: Record<string, unknown> = {},
    options: { background?: boolean; quiet?: boolean } = {},
  ): Promise<unknown> {
    const priority = options.background ? 7 : 5;
    // One span per attempt (its wait in the limiter included), with the action, the attempt
    // number and the return code (or what happened instead: timeout, circuit_open, ...).
    return this.retryPolicy.execute(({ attempt }) =>
      inSpan(`ZEGO ${action}`, { attributes: { 'zego.action': action, 'zego.attempt': attempt + 1 } }, async (span) => {
        try {
          if (this.stopping) throw stoppedError(action);
          // The limiter runs the request later, from whatever call freed it: keep this attempt's context.
          const send = bindToActive((onWritten: () => void) => this.send(action, body, onWritten, options.quiet));
          const data = await this.breaker.execute(() => this.throughLimiter(priority, send));
          annotate(span, { 'zego.return_code': '0' });
          return data;
        } catch (err) {
          const error = this.attemptError(action, err);
          annotate(span, {
            'zego.return_code':
              error instanceof ZegoError ? (error.code !== null ? String(error.code) : error.outcome) : 'error',
            ...(error instanceof ZegoError && error.requestId ? { 'zego.request_id': error.requestId } : {}),
          });
          throw error;
        }
      }),
    );
  }

  /** What a failed attempt throws: a circuit refusal or a call dropped at shutdown as a ZegoError. */
  private attemptError(action: string, err: unknown): unknown {
    if (isBrokenCircuitError(err))
      return new ZegoError(
        action,
        'circuit_open',
        'not attempted: the upstream circuit is open after repeated failures',
      );
    // A call still waiting for its turn when the limiter stopped was never sent.
    if (this.stopping && !(err instanceof ZegoError)) return stoppedError(action);
    return err;
  }

  /** Runs `request` when the limiter allows, and holds the limiter until the spacing rules above allow the next. */
  private throughLimiter<T>(priority: number, request: (onWritten: () => void) => Promise<T>): Promise<T> {
    const queuedAt = performance.now();
    return new Promise<T>((resolve, reject) => {
      this.limiter
        .schedule({ priority }, async () => {
          const now = Date.now();
          // Starts sit on a grid one period apart: a start that is only late because a timer fired
          // late keeps its planned slot, so lateness does not add up; after idle time, a new grid.
          const planned = now - this.nextStart <= LATE_TIMER_MS ? this.nextStart : now;
          this.observer?.limiterWaited((performance.now() - queuedAt) / 1000);
          let markWritten: (at: number) => void = () => undefined;
          const written = new Promise<number>((r) => (markWritten = r));
          const answer = request(() => markWritten(Date.now()));
          answer.then(resolve, reject);
          // A request that failed before reaching the wire frees the limiter after the same spacing.
          const sentAt = await Promise.race([
            written,
            answer.then(
              () => Date.now(),
              () => Date.now(),
            ),
          ]);
          this.nextStart = Math.max(planned + this.periodMs, sentAt + this.afterWriteMs);
          const wait = this.nextStart - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        })
        .catch(reject);
    });
  }

  /** `quiet`: a refusal is expected (a probe) and says nothing about the credentials. */
  private async send(
    action: string,
    body: Record<string, unknown>,
    onWritten: () => void,
    quiet = false,
  ): Promise<unknown> {
    const started = performance.now();
    let code = '0';
    try {
      const data = await this.sendOnce(action, body, onWritten);
      this.configurationProblem = null;
      return data;
    } catch (err) {
      const e = err as ZegoError;
      code = e.code !== null ? String(e.code) : e.outcome;
      if (e.kind === 'configuration' && !quiet) this.configurationProblem = e.message;
      throw err;
    } finally {
      this.observer?.callEnded(action, code, (performance.now() - started) / 1000);
    }
  }

  private async sendOnce(action: string, body: Record<string, unknown>, onWritten: () => void): Promise<unknown> {
    const { appId, serverSecret, baseUrl, timeoutMs } = this.options;
    let response;
    try {
      response = await this.http.axiosRef.post(baseUrl, body, {
        // Node's own http(s) module, wrapped to learn when the request has left for the upstream.
        transport: {
          request: (opts: http.RequestOptions, callback: (res: http.IncomingMessage) => void) => {
            const req = (opts.protocol === 'https:' ? https : http).request(opts, callback);
            req.once('finish', onWritten);
            return req;
          },
        },
        maxRedirects: 0,
        params: signedQuery(action, appId, serverSecret),
        // `timeout` bounds each wait for the socket; the signal bounds the whole call, so an
        // upstream that trickles a byte every few seconds cannot hold it for longer.
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        maxContentLength: MAX_ANSWER_BYTES,
        responseType: 'text',
        transformResponse: (raw: unknown) => raw,
        validateStatus: () => true,
        headers: { 'Content-Type': 'application/json' },
      });
    } catch (err) {
      const e = err as AxiosError;
      if (/maxContentLength/.test(e.message)) {
        throw new ZegoError(
          action,
          'transient',
          `answer larger than ${MAX_ANSWER_BYTES} bytes`,
          null,
          undefined,
          'too_large',
        );
      }
      const timedOut = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || e.code === 'ERR_CANCELED';
      const what = timedOut ? `no answer within ${timeoutMs} ms` : `network error ${e.code ?? ''}`.trim();
      throw new ZegoError(action, 'transient', what, null, undefined, timedOut ? 'timeout' : 'network');
    }

    if (response.status === 404) {
      throw new ZegoError(action, 'invalid_request', 'HTTP 404: the action is not served', null, undefined, 'http_404');
    }
    if (response.status >= 500 || response.status === 429) {
      throw new ZegoError(
        action,
        response.status === 429 ? 'rate_limited' : 'transient',
        `HTTP ${response.status}`,
        null,
        undefined,
        `http_${response.status}`,
      );
    }
    let envelope: Envelope;
    try {
      envelope = JSON.parse(String(response.data)) as Envelope;
    } catch {
      // A proxy's error page or a truncated body: nothing we can trust, and likely passing.
      throw new ZegoError(
        action,
        response.status === 200 ? 'transient' : 'invalid_request',
        `HTTP ${response.status} with a body that is not JSON`,
        null,
        undefined,
        'not_json',
      );
    }
    if (typeof envelope !== 'object' || envelope === null || typeof envelope.Code !== 'number') {
      throw new ZegoError(
        action,
        'transient',
        `HTTP ${response.status} without a response envelope`,
        null,
        undefined,
        'no_envelope',
      );
    }
    const requestId = typeof envelope.RequestId === 'string' ? envelope.RequestId : undefined;
    if (envelope.Code !== 0) {
      const error = ZegoError.fromCode(action, envelope.Code, envelope.Message, requestId);
      if (error.kind === 'clock_skew') this.logger.error(`${error.message}: check this machine's clock`);
      throw error;
    }
    if (response.status !== 200) throw new ZegoError(action, 'transient', `HTTP ${response.status} with Code 0`);
    return envelope.Data ?? {};
  }

  /**
   * Shutdown: calls waiting for their turn are dropped (they fail with kind `stopped`, which
   * callers ignore), new ones are refused; a call already sent runs to its end.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }
}

const stoppedError = (action: string) =>
  new ZegoError(action, 'stopped', 'not attempted: the service is shutting down');
