import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor, isBigintKey } from '../common/cursor';
import { isTimeIdKey, parseTimeIdKey, timeIdKey } from '../common/paging';
import { AppConfig } from '../config/app-config';
import { literalHostProblem } from './egress-policy';
import { WebhookFormat } from './formats/notification';
import { CreateWebhookBody } from './webhooks.dto';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { newEvent, WebhooksRepository } from './webhooks.repository';
import { AttemptPage, AttemptView, CreatedWebhookView, TestEventView, WebhookList, WebhookView } from './webhooks.dto';

type EndpointRow = NonNullable<Awaited<ReturnType<WebhooksRepository['get']>>>;

/**
 * The URL as shown back: credentials in it (https://user:password@host/…) are masked, the user
 * name too (it is often a token).
 */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password && !parsed.username) return url;
    if (parsed.username) parsed.username = '***';
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** A routing key as shown back: its last 4 characters only (enough to tell two apart). */
export function maskedKey(key: string | null): string | null {
  if (!key) return null;
  return `…${key.slice(-4)}`;
}

const view = (r: EndpointRow): WebhookView => ({
  id: r.id,
  url: shownUrl(r.url),
  description: r.description,
  format: r.format as WebhookFormat,
  routingKey: maskedKey(r.routingKey),
  createdAt: r.createdAt.toISOString(),
  state: r.failingSince ? ('failing' as const) : ('healthy' as const),
  failingSince: r.failingSince?.toISOString() ?? null,
  lastDeliveredAt: r.lastDeliveredAt?.toISOString() ?? null,
  pending: r.pending,
});

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly delivery: WebhookDeliveryService,
    private readonly config: AppConfig,
  ) {}

  async create(body: CreateWebhookBody): Promise<CreatedWebhookView> {
    const { url, description } = body;
    const format = body.format ?? 'signed';
    const problem = literalHostProblem(url, this.config.WEBHOOK_ALLOW_PRIVATE);
    if (problem) throw new BadRequestException(problem);
    // The key itself is never part of a message.
    if (format === 'pagerduty' && !body.routingKey) {
      throw new BadRequestException(
        'routingKey is required for the pagerduty format (the Events API v2 integration key)',
      );
    }
    if (format !== 'pagerduty' && body.routingKey !== undefined) {
      throw new BadRequestException(`routingKey applies only to the pagerduty format, not ${format}`);
    }
    const max = this.config.WEBHOOKS_MAX;
    const row = await this.webhooks.create(
      { url, description, format, routingKey: format === 'pagerduty' ? body.routingKey! : null },
      max,
    );
    if (!row) {
      throw new ConflictException(`at most ${max} webhooks may exist (WEBHOOKS_MAX); delete one before adding another`);
    }
    return { ...view(row), secret: row.secret };
  }

  async list(limit: number, cursor?: string): Promise<WebhookList> {
    const key = decodeCursor('webhooks', cursor, isTimeIdKey);
    const { rows, more } = await this.webhooks.list(limit, key ? parseTimeIdKey(key) : null);
    const last = rows.at(-1);
    return {
      items: rows.map(view),
      nextCursor: more && last ? encodeCursor('webhooks', timeIdKey(last.createdAt, last.id)) : null,
    };
  }

  async get(id: string): Promise<WebhookView> {
    const row = await this.webhooks.get(id);
    if (!row) throw new NotFoundException(`webhook ${id} does not exist`);
    return view(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw new NotFoundException(`webhook ${id} does not exist`);
  }

  /** Queues a `webhook.test` event for this endpoint only; it is sent like any other event. */
  async sendTest(id: string): Promise<TestEventView> {
    await this.get(id);
    const event = newEvent('webhook.test', { alert: null });
    await this.webhooks.enqueueNow(event, [id]);
    this.delivery.kick();
    return { eventId: event.id };
  }

  async attempts(id: string, limit: number, cursor?: string): Promise<AttemptPage> {
    await this.get(id);
    const before = decodeCursor(`webhook-attempts:${id}`, cursor, isBigintKey);
    const { rows, more } = await this.webhooks.attempts(id, limit, before === null ? null : BigInt(before));
    const last = rows.at(-1);
    return {
      items: rows.map((r): AttemptView => ({
        eventId: r.delivery.eventId,
        type: r.delivery.event.type,
        attempt: r.attempt,
        at: r.at.toISOString(),
        statusCode: r.statusCode,
        error: r.error,
        durationMs: r.durationMs,
        outcome:
          r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300
            ? 'delivered'
            : r.nextRetryAt
              ? 'retrying'
              : 'gave_up',
        nextRetryAt: r.nextRetryAt?.toISOString() ?? null,
      })),
      nextCursor: more && last ? encodeCursor(`webhook-attempts:${id}`, String(last.id)) : null,
    };
  }
}
