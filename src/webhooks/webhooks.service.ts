import { Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor, isBigintKey } from '../common/cursor';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { newEvent, WebhooksRepository } from './webhooks.repository';
import { PrismaService } from '../database/prisma.service';

type EndpointRow = NonNullable<Awaited<ReturnType<WebhooksRepository['get']>>>;

/** The URL as shown back: a password in it (https://user:password@host/…) is masked. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

const view = (r: EndpointRow) => ({
  id: r.id,
  url: shownUrl(r.url),
  description: r.description,
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
    private readonly prisma: PrismaService,
  ) {}

  async create(url: string, description?: string) {
    const row = await this.webhooks.create(url, description);
    return { ...view(row), secret: row.secret };
  }

  async list() {
    return { items: (await this.webhooks.list()).map(view) };
  }

  async get(id: string) {
    const row = await this.webhooks.get(id);
    if (!row) throw new NotFoundException(`webhook ${id} does not exist`);
    return view(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw new NotFoundException(`webhook ${id} does not exist`);
  }

  /** Queues a `webhook.test` event for this endpoint only; it is sent like any other event. */
  async sendTest(id: string) {
    await this.get(id);
    const event = newEvent('webhook.test', { alert: null });
    await this.prisma.$transaction((tx) => this.webhooks.enqueue(tx, event, [id], false));
    this.delivery.kick();
    return { eventId: event.id };
  }

  async attempts(id: string, limit: number, cursor?: string) {
    await this.get(id);
    const before = decodeCursor(`webhook-attempts:${id}`, cursor, isBigintKey);
    const { rows, more } = await this.webhooks.attempts(id, limit, before === null ? null : BigInt(before));
    const last = rows.at(-1);
    return {
      items: rows.map((r) => ({
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
