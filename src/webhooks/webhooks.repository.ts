import { sql, statement } from '../database/sql';
import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { insertUnderCap } from '../database/capped-insert';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/** Failed attempts in a row after which an endpoint is shown as failing. */
export const FAILING_AFTER = 3;

/** `alert.resend`: a firing alert sent again to Alertmanager endpoints only (they forget it otherwise). */
export type EventType = 'alert.firing' | 'alert.resolved' | 'alert.resend' | 'webhook.test';

/** An event as it is stored in the outbox and sent: `body` is the exact JSON text that is signed. */
export interface OutboxEvent {
  id: string;
  type: EventType;
  createdAt: Date;
  body: string;
  /** The alert it is about (null for test events). */
  alertId?: string | null;
}

export interface DueDelivery {
  id: bigint;
  eventId: string;
  webhookId: string;
  attempts: number;
  eventCreatedAt: Date;
  url: string;
  secret: string;
  body: string;
  eventType: string;
  format: string;
  routingKey: string | null;
}

export interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const ENDPOINT_SELECT = {
  id: true,
  url: true,
  description: true,
  createdAt: true,
  failingSince: true,
  lastDeliveredAt: true,
  format: true,
  routingKey: true,
} as const;

export interface NewEndpoint {
  url: string;
  description?: string;
  format: string;
  routingKey: string | null;
}

/** Builds an event with a fresh id: its body carries the id, type and time, then `data`'s fields. */
export function newEvent(
  type: EventType,
  data: Record<string, unknown>,
  now = new Date(),
  alertId: string | null = null,
): OutboxEvent {
  const id = randomUUID();
  return {
    id,
    type,
    createdAt: now,
    body: JSON.stringify({ id, type, createdAt: now.toISOString(), ...data }),
    alertId,
  };
}

/**
 * Webhook endpoints and the outbox of their events. An event and its deliveries are written in
 * the transaction of whatever caused them; a delivery stays `pending` until an attempt gets a 2xx
 * (`delivered`) or 24 h have passed (`gave_up`); `silenced` ones are recorded and never sent.
 */
/** Endpoints with a pending delivery due by `now`. */
const ENDPOINTS_WITH_DUE = statement<{ now: Date }>(
  'webhook-endpoints-with-due',
  (p) => sql`SELECT e.id::text FROM webhook_endpoint e
        WHERE EXISTS (SELECT 1 FROM webhook_delivery d
                       WHERE d.webhook_id = e.id AND d.state = 'pending' AND d.next_attempt_at <= ${p.now})`,
);

@Injectable()
export class WebhooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Adds an endpoint unless `max` exist already (then null): counted and written under one lock. */
  async create(endpoint: NewEndpoint, max: number) {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const row = await insertUnderCap(
      this.prisma,
      'webhook_endpoint',
      max,
      (tx) => tx.webhookEndpoint.count(),
      (tx) => tx.webhookEndpoint.create({ data: { ...endpoint, secret }, select: ENDPOINT_SELECT }),
    );
    return row && { ...row, secret, pending: 0 };
  }

  /** Endpoints in the order they were added; keyset on (createdAt, id). */
  async list(limit: number, after: { at: Date; id: string } | null) {
    const rows = await this.prisma.webhookEndpoint.findMany({
      where: after
        ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
      select: ENDPOINT_SELECT,
    });
    const page = rows.slice(0, limit);
    const pending = await this.pendingByEndpoint(page.map((r) => r.id));
    return { rows: page.map((r) => ({ ...r, pending: pending.get(r.id) ?? 0 })), more: rows.length > limit };
  }

  async get(id: string) {
    const row = await this.prisma.webhookEndpoint.findUnique({ where: { id }, select: ENDPOINT_SELECT });
    if (!row) return null;
    const pending = await this.pendingByEndpoint([id]);
    return { ...row, pending: pending.get(id) ?? 0 };
  }

  /** Deletes the endpoint with its deliveries and their attempts (rules keep its id; it is skipped). */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.webhookEndpoint.deleteMany({ where: { id } });
    return count > 0;
  }

  /** The ids among `ids` that are existing endpoints. */
  async existing(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.prisma.webhookEndpoint.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /**
   * Writes an event and one delivery per existing endpoint (of `formats`, when given), in the
   * caller's transaction. Silenced deliveries are kept for the record and never sent.
   */
  async enqueue(
    tx: Prisma.TransactionClient,
    event: OutboxEvent,
    webhookIds: string[],
    silenced: boolean,
    formats?: string[],
  ): Promise<number> {
    await tx.webhookEvent.create({
      data: { id: event.id, type: event.type, createdAt: event.createdAt, body: event.body, alertId: event.alertId },
    });
    if (!webhookIds.length) return 0;
    const endpoints = await tx.webhookEndpoint.findMany({
      where: { id: { in: webhookIds }, ...(formats ? { format: { in: formats } } : {}) },
      select: { id: true },
    });
    const { count } = await tx.webhookDelivery.createMany({
      data: endpoints.map((e) => ({
        eventId: event.id,
        webhookId: e.id,
        state: silenced ? 'silenced' : 'pending',
        nextAttemptAt: silenced ? null : event.createdAt,
      })),
      skipDuplicates: true,
    });
    return count;
  }

  /**
   * The `alert` object of the newest notice (firing, reminder or re-send) about an alert, as it
   * was queued: reminders, re-sends and the resolve repeat its severity and details.
   */
  async lastAlertNotice(tx: Prisma.TransactionClient, alertId: string): Promise<Record<string, unknown> | null> {
    const event = await tx.webhookEvent.findFirst({
      where: { alertId, type: { not: 'alert.resolved' } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { body: true },
    });
    if (!event) return null;
    const alert = (JSON.parse(event.body) as { alert?: unknown }).alert;
    return alert && typeof alert === 'object' ? (alert as Record<string, unknown>) : null;
  }

  /** The endpoints among `webhookIds` that still have an event about this alert waiting to be sent. */
  async withPendingAbout(tx: Prisma.TransactionClient, alertId: string, webhookIds: string[]): Promise<Set<string>> {
    if (!webhookIds.length) return new Set();
    const rows = await tx.webhookDelivery.findMany({
      where: { webhookId: { in: webhookIds }, state: 'pending', event: { alertId } },
      select: { webhookId: true },
      distinct: ['webhookId'],
    });
    return new Set(rows.map((r) => r.webhookId));
  }

  /**
   * Drops an alert's re-sends not yet delivered (the alert resolved: they are out of date). Those
   * never tried are deleted; those with failed attempts end as given up, so their attempts stay on
   * record.
   */
  async dropPendingResends(tx: Prisma.TransactionClient, alertId: string): Promise<void> {
    const where = { state: 'pending', event: { alertId, type: 'alert.resend' } };
    await tx.webhookDelivery.deleteMany({ where: { ...where, attempts: 0 } });
    await tx.webhookDelivery.updateMany({ where, data: { state: 'gave_up', nextAttemptAt: null } });
  }

  /** Writes an event for these endpoints alone, in a transaction of its own (a test event). */
  async enqueueNow(event: OutboxEvent, webhookIds: string[]): Promise<number> {
    return this.prisma.$transaction((tx) => this.enqueue(tx, event, webhookIds, false));
  }

  /** Endpoints with a delivery due now (one index probe per endpoint: there are at most WEBHOOKS_MAX). */
  async endpointsWithDue(now = new Date()): Promise<string[]> {
    // Every second on the lease holder: on the pool, so an idle process does not load Prisma's query compiler.
    const { rows } = await this.prisma.pool.query<{ id: string }>(ENDPOINTS_WITH_DUE.config({ now }));
    return rows.map((r) => r.id);
  }

  /**
   * Claims due deliveries, at most `quotas[endpoint]` of each endpoint, oldest first: each is
   * pushed to `claimUntil` in the same statement, so no other round (nor another sender during a
   * lease hand-over) takes it while its attempt runs. If the sender dies, the claim lapses and the
   * delivery is due again.
   */
  async due(quotas: Map<string, number>, claimUntil: Date, now = new Date()): Promise<DueDelivery[]> {
    if (!quotas.size) return [];
    const ids = [...quotas.keys()];
    const counts = ids.map((id) => quotas.get(id) ?? 0);
    const claimed = await this.prisma.$queryRaw<Array<{ id: bigint }>>`
      WITH picked AS (
        SELECT d.id FROM unnest(${ids}::uuid[], ${counts}::int[]) AS q(webhook_id, n)
        CROSS JOIN LATERAL (
          SELECT id FROM webhook_delivery
           WHERE webhook_id = q.webhook_id AND state = 'pending' AND next_attempt_at <= ${now}
           ORDER BY next_attempt_at LIMIT q.n
             FOR UPDATE SKIP LOCKED
        ) d
      )
      UPDATE webhook_delivery d SET next_attempt_at = ${claimUntil} FROM picked WHERE d.id = picked.id
      RETURNING d.id`;
    if (!claimed.length) return [];
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { id: { in: claimed.map((c) => c.id) }, state: 'pending' },
      orderBy: { id: 'asc' },
      select: {
        id: true,
        eventId: true,
        webhookId: true,
        attempts: true,
        event: { select: { createdAt: true, body: true, type: true } },
        endpoint: { select: { url: true, secret: true, format: true, routingKey: true } },
      },
    });
    return rows.map((r) => ({
      id: r.id,
      eventId: r.eventId,
      webhookId: r.webhookId,
      attempts: r.attempts,
      eventCreatedAt: r.event.createdAt,
      url: r.endpoint.url,
      secret: r.endpoint.secret,
      body: r.event.body,
      eventType: r.event.type,
      format: r.endpoint.format,
      routingKey: r.endpoint.routingKey,
    }));
  }

  /** Gives a claimed delivery back (its attempt was cut short by shutdown): due again at once. */
  async release(id: bigint): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id, state: 'pending' },
      data: { nextAttemptAt: new Date() },
    });
  }

  /**
   * Records one attempt: delivered (2xx), to be retried at `nextRetryAt`, or given up (`nextRetryAt`
   * null). The endpoint's failure streak and failing state move with it.
   */
  async recordAttempt(delivery: DueDelivery, result: AttemptResult, nextRetryAt: Date | null): Promise<void> {
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const now = new Date();
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.webhookDelivery.updateMany({
        where: { id: delivery.id, state: 'pending' },
        data: delivered
          ? { state: 'delivered', attempts: { increment: 1 }, deliveredAt: now, nextAttemptAt: null }
          : nextRetryAt
            ? { attempts: { increment: 1 }, nextAttemptAt: nextRetryAt }
            : { state: 'gave_up', attempts: { increment: 1 }, nextAttemptAt: null },
      });
      if (!count) return; // the endpoint was deleted meanwhile
      await tx.webhookAttempt.create({
        data: {
          deliveryId: delivery.id,
          webhookId: delivery.webhookId,
          attempt: delivery.attempts + 1,
          at: now,
          statusCode: result.statusCode,
          error: result.error,
          durationMs: result.durationMs,
          nextRetryAt: delivered ? null : nextRetryAt,
        },
      });
      if (delivered) {
        await tx.webhookEndpoint.update({
          where: { id: delivery.webhookId },
          data: { failureStreak: 0, failingSince: null, lastDeliveredAt: now },
        });
      } else {
        const endpoint = await tx.webhookEndpoint.update({
          where: { id: delivery.webhookId },
          data: { failureStreak: { increment: 1 } },
          select: { failureStreak: true, failingSince: true },
        });
        if (endpoint.failureStreak >= FAILING_AFTER && !endpoint.failingSince) {
          await tx.webhookEndpoint.update({ where: { id: delivery.webhookId }, data: { failingSince: now } });
        }
      }
    });
  }

  /** Attempts to deliver to one endpoint, newest first (keyset on the attempt id). */
  async attempts(webhookId: string, limit: number, beforeId: bigint | null) {
    const rows = await this.prisma.webhookAttempt.findMany({
      where: { webhookId, ...(beforeId !== null ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' },
      take: limit + 1,
      select: {
        id: true,
        attempt: true,
        at: true,
        statusCode: true,
        error: true,
        durationMs: true,
        nextRetryAt: true,
        delivery: { select: { eventId: true, state: true, event: { select: { type: true } } } },
      },
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /**
   * Deletes the deliveries of events older than `cutoff` that are finished (delivered, given up or
   * silenced), their attempts with them, then such events with no delivery left. Pending ones stay
   * whatever their age. In batches: short transactions, no long lock on the outbox.
   */
  async deleteFinishedBefore(cutoff: Date, batch = 5000): Promise<{ deliveries: number; events: number }> {
    let deliveries = 0;
    for (;;) {
      // Ids grow with time, so the oldest rows are found first along the primary key.
      const n = await this.prisma.$executeRaw`
        DELETE FROM webhook_delivery WHERE id IN (
          SELECT id FROM webhook_delivery
           WHERE created_at < ${cutoff} AND state <> 'pending'
           ORDER BY id LIMIT ${batch})`;
      deliveries += n;
      if (n < batch) break;
    }
    let events = 0;
    for (;;) {
      const n = await this.prisma.$executeRaw`
        DELETE FROM webhook_event WHERE id IN (
          SELECT e.id FROM webhook_event e
           WHERE e.created_at < ${cutoff}
             AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.id)
           LIMIT ${batch})`;
      events += n;
      if (n < batch) break;
    }
    return { deliveries, events };
  }

  /** Deliveries not yet delivered nor given up, all endpoints together (the outbox backlog). */
  async backlog(): Promise<number> {
    return this.prisma.webhookDelivery.count({ where: { state: 'pending' } });
  }

  private async pendingByEndpoint(ids: string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const groups = await this.prisma.webhookDelivery.groupBy({
      by: ['webhookId'],
      where: { webhookId: { in: ids }, state: 'pending' },
      _count: { _all: true },
    });
    return new Map(groups.map((g) => [g.webhookId, g._count._all]));
  }
}
