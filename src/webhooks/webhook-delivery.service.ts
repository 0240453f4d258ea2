import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { BackgroundLoop } from '../coordination/background-loop';
import { MetricsService } from '../metrics/metrics.service';
import { annotate, inSpan } from '../tracing/spans';
import { formatRequest } from './formats';
import { signWebhook } from './webhook-signature';
import { NO_ANSWER, WebhookSender } from './webhook-sender';
import { AttemptResult, DueDelivery, WebhooksRepository } from './webhooks.repository';

/** Deliveries are retried for this long after their event, then given up. */
export const DELIVERY_MAX_AGE_MS = 24 * 3600_000;
/** Longest wait between two attempts. */
const MAX_RETRY_DELAY_MS = 3600_000;
/** Attempts running at once (a slow receiver holds one slot for at most WEBHOOK_TIMEOUT_MS). */
const MAX_IN_FLIGHT = 8;
/** Attempts running at once to one endpoint: a receiver that never answers holds no more than this. */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 2;
const TICK_MS = 1000;

/**
 * Sends the outbox. Runs on the replica that holds the fleet lease (so one sender fleet-wide), from
 * the database alone: whatever was pending when a replica died is sent by the next holder, with the
 * same event id (at least once; receivers drop duplicates by id). Each attempt has a time-out, only
 * a 2xx counts, the answer's body is never read, and retries back off exponentially for 24 h.
 * Fairness: each endpoint has at most two attempts running, and the endpoints served least lately
 * claim first, so one receiver that never answers costs two slots and delays no one else.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly inFlight = new Map<bigint, Promise<void>>();
  private readonly loop: BackgroundLoop;
  /** Attempts running per endpoint. */
  private readonly busy = new Map<string, number>();
  /** When each endpoint was last given a claim (a counter): the least lately served go first. */
  private readonly served = new Map<string, number>();
  private serveCounter = 0;
  private readonly sender: WebhookSender;
  private stopped = false;
  /** Aborts the attempts in flight at shutdown (they stay pending and are sent again later). */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
    duties: BackgroundDuties,
    private readonly metrics: MetricsService,
  ) {
    this.sender = new WebhookSender({
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    });
    const backlog = () => this.webhooks.backlog();
    metrics.webhookBacklog.readFrom(async (gauge) => gauge.set(await backlog()));
    this.loop = duties.register({
      name: 'webhook-delivery',
      everyMs: TICK_MS,
      run: () => this.tick(),
      // Shutdown: attempts in flight are aborted (they stay pending and are sent again later).
      onStop: () => {
        this.stopped = true;
        this.shutdown.abort();
      },
      drain: async () => {
        await Promise.allSettled([...this.inFlight.values()]);
        await this.sender.close();
      },
    });
  }

  /** Looks for due deliveries now (after an event was written), instead of at the next tick. */
  kick(): void {
    void this.loop.trigger();
  }

  private async tick(): Promise<void> {
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0) return;
    const quotas = shareSlots(
      await this.webhooks.endpointsWithDue(),
      room,
      (id) => MAX_IN_FLIGHT_PER_ENDPOINT - (this.busy.get(id) ?? 0),
      (id) => this.served.get(id) ?? -1,
    );
    if (!quotas.size) return;
    // Claimed until the attempt can no longer be running (its time-out plus 5 s to record it); a
    // sender killed mid-attempt leaves it to the next one after that.
    const claimUntil = new Date(Date.now() + this.config.WEBHOOK_TIMEOUT_MS + 5_000);
    const due = (await this.webhooks.due(quotas, claimUntil)).filter((d) => !this.inFlight.has(d.id));
    for (const delivery of due) {
      this.served.set(delivery.webhookId, ++this.serveCounter);
      this.busy.set(delivery.webhookId, (this.busy.get(delivery.webhookId) ?? 0) + 1);
      const attempt = this.attempt(delivery)
        .catch((err: Error) =>
          this.logger.warn(`webhook ${delivery.webhookId}: could not record an attempt: ${err.message}`),
        )
        .finally(() => {
          this.inFlight.delete(delivery.id);
          const left = (this.busy.get(delivery.webhookId) ?? 1) - 1;
          if (left > 0) this.busy.set(delivery.webhookId, left);
          else this.busy.delete(delivery.webhookId);
          // A slot is free: whatever is due goes now, not at the next tick.
          this.kick();
        });
      this.inFlight.set(delivery.id, attempt);
    }
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const result = await this.tracedSend(delivery);
    // Cut short by shutdown: not an attempt to hold against the receiver; due again at once, for
    // whichever replica sends next.
    if (this.stopped && result.statusCode === null) return this.webhooks.release(delivery.id);
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const next = delivered ? null : this.nextAttempt(delivery);
    await this.webhooks.recordAttempt(delivery, result, next);
    const outcome = delivered ? 'delivered' : next ? 'failed' : 'gave_up';
    this.metrics.webhookDeliveries.inc({ result: outcome });
    if (!delivered) {
      // The URL is not logged: it may carry credentials.
      const why = result.error ? `${result.error}: ${result.detail}` : `HTTP ${result.statusCode}`;
      if (next)
        this.logger.warn(
          `webhook ${delivery.webhookId}: event ${delivery.eventId} not delivered (${why}); retry at ${next.toISOString()}`,
        );
      else this.logger.error(`webhook ${delivery.webhookId}: event ${delivery.eventId} given up after 24 h (${why})`);
    }
  }

  /** send() in a span of its own (no URL on it: it may hold credentials). */
  private tracedSend(delivery: DueDelivery): Promise<AttemptResult & { detail: string | null }> {
    const attributes = {
      'webhook.id': delivery.webhookId,
      'webhook.event_id': delivery.eventId,
      'webhook.attempt': delivery.attempts + 1,
    };
    return inSpan('webhook delivery', { attributes }, async (span) => {
      const result = await this.send(delivery);
      annotate(span, {
        'webhook.delivered': result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300,
        ...(result.statusCode !== null ? { 'http.response.status_code': result.statusCode } : {}),
        ...(result.error ? { 'error.type': result.error } : {}),
      });
      return result;
    });
  }

  /**
   * One POST. Never throws: a failure is a result. A failure to get any answer (refused, filtered,
   * unreachable, timed out) is held until the attempt's time-out has passed, so that closed and
   * filtered ports look the same from outside, in the error text and in the timing alike.
   */
  private async send(delivery: DueDelivery): Promise<AttemptResult & { detail: string | null }> {
    const started = performance.now();
    const timeoutMs = this.config.WEBHOOK_TIMEOUT_MS;
    // The format decides the body and target; every format is signed over the body it sends.
    const request = formatRequest(delivery, { type: delivery.eventType, body: delivery.body }, this.config.PUBLIC_URL);
    const signature = signWebhook(delivery.secret, request.body, Math.floor(Date.now() / 1000));
    // One controller per attempt, aborted by its own timer or by shutdown. (AbortSignal.timeout
    // inside AbortSignal.any can be collected before it fires, and the request then never ends.)
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(new DOMException('attempt timed out', 'TimeoutError')), timeoutMs);
    const onShutdown = () => attempt.abort(new DOMException('shutting down', 'AbortError'));
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    try {
      const result = await this.sender.post(
        request.url,
        request.body,
        {
          'content-type': 'application/json',
          'user-agent': 'drive-status-webhooks/1',
          'x-drive-status-event-id': delivery.eventId,
          'x-drive-status-signature': signature,
        },
        attempt.signal,
      );
      if (result.error === NO_ANSWER && !this.shutdown.signal.aborted) {
        await waitOut(started + timeoutMs - performance.now(), this.shutdown.signal);
      }
      return { ...result, durationMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }

  /** Exponential back-off with jitter; null once the next attempt would be more than 24 h after the event. */
  private nextAttempt(delivery: DueDelivery): Date | null {
    const base = this.config.WEBHOOK_RETRY_BASE_MS * 2 ** Math.min(delivery.attempts, 20);
    const delay = Math.min(base, MAX_RETRY_DELAY_MS) * (0.8 + Math.random() * 0.4);
    const at = Date.now() + delay;
    return at > delivery.eventCreatedAt.getTime() + DELIVERY_MAX_AGE_MS ? null : new Date(at);
  }
}

/** Waits `ms` (if positive), or less when `signal` aborts. */
function waitOut(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Shares `room` free slots among the endpoints with due deliveries, one slot per endpoint per
 * round, least lately served first, none past its own free slots. Returns endpoint -> slots.
 */
export function shareSlots(
  endpoints: string[],
  room: number,
  free: (id: string) => number,
  lastServed: (id: string) => number,
): Map<string, number> {
  const order = [...endpoints].sort((a, b) => lastServed(a) - lastServed(b));
  const quotas = new Map<string, number>();
  for (let progress = true; room > 0 && progress;) {
    progress = false;
    for (const id of order) {
      if (room <= 0) break;
      const given = quotas.get(id) ?? 0;
      if (given >= free(id)) continue;
      quotas.set(id, given + 1);
      room--;
      progress = true;
    }
  }
  return quotas;
}
