import type { BackgroundDuties } from '../../src/coordination/background-duties.service';
import { AlertRetentionService } from '../../src/alerts/alert-retention.service';
import { AlertsRepository } from '../../src/alerts/alerts.repository';
import { AppConfig } from '../../src/config/app-config';
import { PrismaService } from '../../src/database/prisma.service';
import { ReadDatabase } from '../../src/database/read-database';
import { CallbackReceiptsRepository } from '../../src/drives/callback-receipts.repository';
import { ObservationsRepository } from '../../src/drives/observations.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { MetricsService } from '../../src/metrics/metrics.service';
import { WebhooksRepository } from '../../src/webhooks/webhooks.repository';
import { createTestDatabase, TestDatabase } from '../support/database';

const DAY = 86_400_000;

describe('alert state on PostgreSQL: retention and failure_rate', () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  let alerts: AlertsRepository;
  let webhooks: WebhooksRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = new PrismaService(db.url);
    webhooks = new WebhooksRepository(prisma);
    alerts = new AlertsRepository(prisma, webhooks);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  describe('failure_rate from the hourly aggregates', () => {
    /** What failure_rate counted before: every ended drive's history row in the window. */
    async function fromHistory(taskIds: string[], since: Date) {
      const out = new Map<string, { failed: number; ended: number }>();
      const groups = await prisma.driveHistory.groupBy({
        by: ['taskId', 'status'],
        where: { taskId: { in: taskIds }, observedAt: { gt: since }, status: { in: [3, 4] } },
        _count: { _all: true },
      });
      for (const g of groups) {
        const o = out.get(g.taskId) ?? { failed: 0, ended: 0 };
        o.ended += g._count._all;
        if (g.status === 3) o.failed += g._count._all;
        out.set(g.taskId, o);
      }
      return out;
    }

    it('gives the same numbers as counting the history, for windows of a minute to a week', async () => {
      const receipts = new CallbackReceiptsRepository(prisma);
      const tasks = new TasksRepository(prisma, receipts, new ReadDatabase(prisma, undefined));
      const observations = new ObservationsRepository(prisma, receipts, new MetricsService(), new AppConfig());
      const now = new Date('2026-11-20T12:34:56.789Z');
      const taskIds = ['rate-a', 'rate-b', 'rate-c', 'rate-quiet'];
      for (const t of taskIds) await tasks.trackTask(t, 'manual');
      // A fixed pseudo-random spread of drives ending over the last 8 days, some exactly on the
      // hour (the window's edge cases), written through the real observation write.
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 240; i++) {
        const taskId = taskIds[i % 3];
        let at = new Date(now.getTime() - Math.floor(random() * 8 * DAY));
        if (i % 10 === 0) at = new Date(Math.floor(at.getTime() / 3600_000) * 3600_000);
        const driveId = `d-${i}`;
        await observations.applyObservation(taskId, [{ driveId, status: 2 }], {
          at: new Date(at.getTime() - 1000),
          source: 'poll',
          complete: false,
        });
        await observations.applyObservation(taskId, [{ driveId, status: random() < 0.3 ? 3 : 4 }], {
          at,
          source: 'poll',
          complete: false,
        });
      }
      const hourAgo = Math.floor(now.getTime() / 3600_000) * 3600_000 - 3600_000;
      const sinces = [
        ...[60, 600, 3600, 5400, 7200, 86_400, 3 * 86_400, 604_800].map((s) => new Date(now.getTime() - s * 1000)),
        new Date(hourAgo), // exactly on an hour
        new Date(hourAgo - 1),
        new Date(hourAgo + 1),
      ];
      let compared = 0;
      for (const since of sinces) {
        const expected = await fromHistory(taskIds, since);
        const actual = await alerts.outcomesSince(taskIds, since);
        expect({ since, counts: Object.fromEntries(actual) }).toEqual({ since, counts: Object.fromEntries(expected) });
        compared += [...expected.values()].reduce((n, o) => n + o.ended, 0);
      }
      expect(compared).toBeGreaterThan(200); // the windows held data, not only zeros
      expect((await alerts.outcomesSince(taskIds, sinces[0])).has('rate-quiet')).toBe(false);
    });
  });

  describe('retention', () => {
    it('deletes finished deliveries with their attempts and events, resolved alerts and ended silences past ALERT_RETENTION_DAYS', async () => {
      const now = new Date('2026-11-30T12:00:00Z');
      const old = new Date(now.getTime() - 100 * DAY);
      const recent = new Date(now.getTime() - 10 * DAY);
      const [endpoint] = await db.query<{ id: string }>(
        `INSERT INTO webhook_endpoint (id, url, secret) VALUES (gen_random_uuid(), 'https://h.example.com/', 's') RETURNING id`,
      );
      const deliveries: Record<string, string> = {};
      for (const [name, at, state] of [
        ['old-delivered', old, 'delivered'],
        ['old-gave-up', old, 'gave_up'],
        ['old-silenced', old, 'silenced'],
        ['old-pending', old, 'pending'],
        ['recent-delivered', recent, 'delivered'],
      ] as const) {
        const [event] = await db.query<{ id: string }>(
          `INSERT INTO webhook_event (id, type, created_at, body) VALUES (gen_random_uuid(), 'alert.firing', $1, '{}') RETURNING id`,
          [at],
        );
        const [delivery] = await db.query<{ id: string }>(
          `INSERT INTO webhook_delivery (event_id, webhook_id, state, created_at, next_attempt_at)
           VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'pending' THEN $4::timestamptz END) RETURNING id`,
          [event.id, endpoint.id, state, at],
        );
        await db.query(
          `INSERT INTO webhook_attempt (delivery_id, webhook_id, attempt, at, status_code, duration_ms) VALUES ($1, $2, 1, $3, 500, 5)`,
          [delivery.id, endpoint.id, at],
        );
        deliveries[name] = delivery.id;
      }
      // An event older than the cutoff whose only delivery is still pending keeps it.
      const [rule] = await db.query<{ id: string }>(
        `INSERT INTO alert_rule (id, kind, threshold) VALUES (gen_random_uuid(), 'consecutive_failures', 3) RETURNING id`,
      );
      const alertIds: Record<string, string> = {};
      for (const [name, firedAt, resolvedAt] of [
        ['old-resolved', old, new Date(old.getTime() + DAY)],
        ['old-firing', old, null],
        ['resolved-recently', old, recent],
        ['recent-resolved', recent, recent],
      ] as const) {
        const [alert] = await db.query<{ id: string }>(
          `INSERT INTO alert (id, rule_id, task_id, scope_key, open, value, threshold, fired_at, resolved_at)
           VALUES (gen_random_uuid(), $1, $2, $2, $3, 3, 3, $4, $5) RETURNING id`,
          [rule.id, name, resolvedAt ? null : true, firedAt, resolvedAt],
        );
        alertIds[name] = alert.id;
      }
      for (const [reason, endsAt] of [
        ['ended-long-ago', new Date(old.getTime() + DAY)],
        ['ended-recently', recent],
        ['active', new Date(now.getTime() + DAY)],
      ] as const) {
        await db.query(`INSERT INTO silence (id, starts_at, ends_at, reason) VALUES (gen_random_uuid(), $1, $2, $3)`, [
          new Date(endsAt.getTime() - DAY),
          endsAt,
          reason,
        ]);
      }

      const service = new AlertRetentionService(new AppConfig(), alerts, webhooks, {
        register: () => undefined,
      } as unknown as BackgroundDuties);
      expect(await service.runRetention(now)).toEqual({ deliveries: 3, events: 3, alerts: 1, silences: 1 });

      const left = await db.query<{ id: string; state: string }>(
        `SELECT id::text, state FROM webhook_delivery ORDER BY id`,
      );
      expect(left.map((d) => d.id).sort()).toEqual([deliveries['old-pending'], deliveries['recent-delivered']].sort());
      const attempts = await db.query<{ delivery_id: string }>(`SELECT delivery_id::text FROM webhook_attempt`);
      expect(attempts.map((a) => a.delivery_id).sort()).toEqual(left.map((d) => d.id).sort());
      expect(await db.query(`SELECT count(*)::int AS n FROM webhook_event`)).toEqual([{ n: 2 }]);
      const alertsLeft = await db.query<{ task_id: string }>(`SELECT task_id FROM alert ORDER BY task_id`);
      expect(alertsLeft.map((a) => a.task_id)).toEqual(['old-firing', 'recent-resolved', 'resolved-recently']);
      const silencesLeft = await db.query<{ reason: string }>(`SELECT reason FROM silence ORDER BY reason`);
      expect(silencesLeft.map((s) => s.reason)).toEqual(['active', 'ended-recently']);

      // A second pass finds nothing more.
      expect(await service.runRetention(now)).toEqual({ deliveries: 0, events: 0, alerts: 0, silences: 0 });
    });
  });
});
