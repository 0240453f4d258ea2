import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { SyncLease } from '../coordination/sync-lease.service';
import { MetricsService } from '../metrics/metrics.service';
import { annotate, inSpan } from '../tracing/spans';
import { signWebhook } from './webhook-signature';
import { AttemptResult, DueDelivery, WebhooksRepository } from './webhooks.repository';

/** Deliveries are retried for this long after their event, then given up. */
export const DELIVERY_MAX_AGE_MS = 24 * 3600_000;
/** Longest wait between two attempts. */
const MAX_RETRY_DELAY_MS = 3600_000;
/** Attempts running at once (a slow receiver holds one slot for at most WEBHOOK_TIMEOUT_MS). */
const MAX_IN_FLIGHT = 8;
const TICK_MS = 1000;

/**
 * Sends the outbox. Runs on the replica that holds the sync lease (so one sender fleet-wide), from
 * the database alone: whatever was pending when a replica died is sent by the next holder, with the
 * same event id (at least once; receivers drop duplicates by id). Each attempt has a time-out, only
 * a 2xx counts, the answer's body is never read, and retries back off exponentially for 24 h.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly inFlight = new Map<bigint, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  /** Aborts the attempts in flight at shutdown (they stay pending and are sent again later). */
  private readonly shutdown = new AbortController();
  private readonly results: Counter<'result'>;

  constructor(
    private readonly config: AppConfig,
    private readonly webhooks: WebhooksRepository,
    private readonly lease: SyncLease,
    metrics: MetricsService,
  ) {
    this.results = new Counter({
      name: 'drive_status_webhook_deliveries_total',
      help: 'Webhook delivery attempts by result (delivered, failed: will retry, gave_up: after 24 h)',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
    });
    const backlog = () => this.webhooks.backlog();
    new Gauge({
      name: 'drive_status_webhook_outbox_backlog',
      help: 'Webhook deliveries waiting for their first attempt or a retry',
      registers: [metrics.registry],
      async collect() {
        this.set(await backlog());
      },
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.SYNC_ENABLED) return;
    this.timer = setInterval(() => this.kick(), TICK_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.shutdown.abort();
    await this.ticking;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Looks for due deliveries now (after an event was written), instead of at the next tick. */
  kick(): void {
    if (this.stopped || !this.lease.held || this.ticking) return;
    this.ticking = this.tick()
      .catch((err: Error) => this.logger.warn(`webhook delivery round failed: ${err.message}`))
      .finally(() => (this.ticking = undefined));
  }

  private async tick(): Promise<void> {
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0) return;
    // Claimed until the attempt can no longer be running (its time-out plus 5 s to record it); a
    // sender killed mid-attempt leaves it to the next one after that.
    const claimUntil = new Date(Date.now() + this.config.WEBHOOK_TIMEOUT_MS + 5_000);
    const due = (await this.webhooks.due(room, claimUntil)).filter((d) => !this.inFlight.has(d.id));
    for (const delivery of due) {
      const attempt = this.attempt(delivery)
        .catch((err: Error) =>
          this.logger.warn(`webhook ${delivery.webhookId}: could not record an attempt: ${err.message}`),
        )
        .finally(() => this.inFlight.delete(delivery.id));
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
    this.results.inc({ result: outcome });
    if (!delivered) {
      // The URL is not logged: it may carry credentials.
      const why = result.error ?? `HTTP ${result.statusCode}`;
      if (next)
        this.logger.warn(
          `webhook ${delivery.webhookId}: event ${delivery.eventId} not delivered (${why}); retry at ${next.toISOString()}`,
        );
      else this.logger.error(`webhook ${delivery.webhookId}: event ${delivery.eventId} given up after 24 h (${why})`);
    }
  }

  /** send() in a span of its own (no URL on it: it may hold credentials). */
  private tracedSend(delivery: DueDelivery): Promise<AttemptResult> {
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

  /** One POST. Never throws: a failure is a result. The answer's body is discarded unread. */
  private async send(delivery: DueDelivery): Promise<AttemptResult> {
    const started = performance.now();
    const signature = signWebhook(delivery.secret, delivery.body, Math.floor(Date.now() / 1000));
    // One controller per attempt, aborted by its own timer or by shutdown. (AbortSignal.timeout
    // inside AbortSignal.any can be collected before it fires, and the request then never ends.)
    const attempt = new AbortController();
    const timer = setTimeout(
      () => attempt.abort(new DOMException('attempt timed out', 'TimeoutError')),
      this.config.WEBHOOK_TIMEOUT_MS,
    );
    const onShutdown = () => attempt.abort(new DOMException('shutting down', 'AbortError'));
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        body: delivery.body,
        redirect: 'manual',
        signal: attempt.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'drive-status-webhooks/1',
          'x-drive-status-event-id': delivery.eventId,
          'x-drive-status-signature': signature,
        },
      });
      await res.body?.cancel().catch(() => undefined);
      return { statusCode: res.status, error: null, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      return {
        statusCode: null,
        error: describe(err, this.config.WEBHOOK_TIMEOUT_MS),
        durationMs: Math.round(performance.now() - started),
      };
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

/** Why a request failed, without the URL (which may hold credentials). */
function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = e?.cause?.code;
  if (code) return `connection failed (${code})`;
  return 'request failed';
}
