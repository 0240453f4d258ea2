import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { insertUnderCap } from '../database/capped-insert';
import { PrismaService } from '../database/prisma.service';
import { sql, statement } from '../database/sql';
import type { AlertRule, Prisma } from '../generated/prisma/client';
import { newEvent, WebhooksRepository } from '../webhooks/webhooks.repository';
import { isSeverity, Severity } from '../webhooks/formats/notification';
import { AlertKind } from './alert-conditions';
import { alertPayload, EventExtras, sloFacts } from './alert-events';

export type RuleRow = AlertRule;

/** A rule as written: the table's columns (derived from the Prisma model) less those the database fills. */
export type RuleInput = Omit<AlertRule, 'id' | 'createdAt' | 'updatedAt' | 'kind' | 'severity'> & {
  kind: AlertKind;
  severity: Severity;
};

export interface OpenAlert {
  id: string;
  ruleId: string;
  taskId: string | null;
  firedAt: Date;
  threshold: number;
}

const ALERT_SELECT = {
  id: true,
  ruleId: true,
  taskId: true,
  value: true,
  threshold: true,
  firedAt: true,
  resolvedAt: true,
  resolvedValue: true,
  rule: { select: { kind: true } },
} as const;

export type AlertRow = Prisma.AlertGetPayload<{ select: typeof ALERT_SELECT }>;

/** The rule's stored severity (rows written before severities existed read as warning). */
export const ruleSeverity = (rule: Pick<RuleRow, 'severity'>): Severity =>
  isSeverity(rule.severity) ? rule.severity : 'warning';

/**
 * The newest history row id, straight on the pool: a plain max() reads one entry at the end of
 * each partition's primary key. (Prisma's aggregate wraps the column in a subquery, which hides
 * that from the planner: it read all 10 million rows of the bench's history, 0.6 s every round.)
 */
const LAST_HISTORY_ID = statement<Record<string, never>>(
  'last-history-id',
  () => sql`SELECT max(id)::text AS id FROM drive_history`,
  { prepared: true },
);

/** Tasks with history rows in (after, upTo]: a range of each partition's primary key. */
const TASKS_WITH_HISTORY_BETWEEN = statement<{ after: string; upTo: string }>(
  'tasks-with-history-between',
  (p) =>
    sql`SELECT DISTINCT task_id AS "taskId" FROM drive_history WHERE id > ${p.after}::bigint AND id <= ${p.upTo}::bigint`,
);

/**
 * Alert rules, silences and alert instances. A state change of an alert and its outbox event are
 * written in one transaction: an alert is never firing without its event, nor the reverse.
 */
@Injectable()
export class AlertsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly webhooks: WebhooksRepository,
  ) {}

  // ------------------------------------------------------------------ rules

  /** Adds a rule unless `max` exist already (then null): counted and written under one lock. */
  createRule(input: RuleInput, max: number): Promise<RuleRow | null> {
    return insertUnderCap(
      this.prisma,
      'alert_rule',
      max,
      (tx) => tx.alertRule.count(),
      (tx) => tx.alertRule.create({ data: input }),
    );
  }

  /**
   * Whether the evaluator has anything to do: an enabled rule or an open alert. Asked on the pool,
   * not through Prisma, so a process whose routes never touch Prisma (the hot reads) does not load
   * Prisma's query compiler (about 60 MB resident) for a round that finds nothing.
   */
  async anythingToWatch(): Promise<boolean> {
    const { rows } = await this.prisma.pool.query<{ any: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM alert_rule WHERE enabled) OR EXISTS (SELECT 1 FROM alert WHERE open) AS any',
    );
    return rows[0].any;
  }

  /** Every rule (the evaluator's list; there are at most ALERT_RULES_MAX). */
  listRules(): Promise<RuleRow[]> {
    return this.prisma.alertRule.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** A page of rules, oldest first; keyset on (createdAt, id). */
  async pageRules(limit: number, after: { at: Date; id: string } | null) {
    const rows = await this.prisma.alertRule.findMany({
      where: after
        ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  getRule(id: string): Promise<RuleRow | null> {
    return this.prisma.alertRule.findUnique({ where: { id } });
  }

  async updateRule(id: string, input: RuleInput): Promise<RuleRow | null> {
    const { count } = await this.prisma.alertRule.updateMany({ where: { id }, data: input });
    return count ? this.getRule(id) : null;
  }

  /** Deletes the rule and its alerts. */
  async deleteRule(id: string): Promise<boolean> {
    const { count } = await this.prisma.alertRule.deleteMany({ where: { id } });
    return count > 0;
  }

  // ------------------------------------------------------------------ silences

  /** Adds a silence unless `max` are not yet over (then null): counted and written under one lock. */
  createSilence(
    data: { ruleId: string | null; taskId: string | null; startsAt: Date; endsAt: Date; reason: string },
    max: number,
    now = new Date(),
  ) {
    return insertUnderCap(
      this.prisma,
      'silence',
      max,
      (tx) => tx.silence.count({ where: { endsAt: { gt: now } } }),
      (tx) => tx.silence.create({ data }),
    );
  }

  /** Silences not yet over, soonest end first; keyset on (endsAt, id). */
  async listSilences(limit: number, after: { at: Date; id: string } | null, now = new Date()) {
    const rows = await this.prisma.silence.findMany({
      where: {
        endsAt: { gt: now },
        ...(after ? { OR: [{ endsAt: { gt: after.at } }, { endsAt: after.at, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ endsAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  async deleteSilence(id: string): Promise<boolean> {
    const { count } = await this.prisma.silence.deleteMany({ where: { id } });
    return count > 0;
  }

  // ------------------------------------------------------------------ alerts

  /** Alerts newest first; keyset on (firedAt, id). */
  async listAlerts(
    state: 'firing' | 'resolved' | undefined,
    limit: number,
    after: { firedAt: Date; id: string } | null,
  ) {
    const where: Prisma.AlertWhereInput = {
      ...(state === 'firing' ? { open: true } : state === 'resolved' ? { open: null } : {}),
      ...(after ? { OR: [{ firedAt: { lt: after.firedAt } }, { firedAt: after.firedAt, id: { lt: after.id } }] } : {}),
    };
    const rows = await this.prisma.alert.findMany({
      where,
      orderBy: [{ firedAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      select: ALERT_SELECT,
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  openAlerts(): Promise<OpenAlert[]> {
    return this.prisma.alert.findMany({
      where: { open: true },
      select: { id: true, ruleId: true, taskId: true, firedAt: true, threshold: true },
    });
  }

  countFiring(): Promise<number> {
    return this.prisma.alert.count({ where: { open: true } });
  }

  /**
   * Opens an alert and writes its `alert.firing` event (with a delivery per webhook of the rule,
   * silenced when a silence covers it), in one transaction. Null when the scope already had one.
   * `extras` lets a kind give the event its own severity and details.
   */
  async fire(
    rule: RuleRow,
    taskId: string | null,
    value: number,
    threshold: number,
    now = new Date(),
    extras: EventExtras = {},
  ) {
    return this.prisma.$transaction(async (tx) => {
      const id = randomUUID();
      const { count } = await tx.alert.createMany({
        data: [{ id, ruleId: rule.id, taskId, scopeKey: taskId ?? '', value, threshold, firedAt: now }],
        skipDuplicates: true,
      });
      if (!count) return null;
      const alert = {
        id,
        ruleId: rule.id,
        kind: rule.kind,
        taskId,
        value,
        threshold,
        firedAt: now,
        resolvedAt: null,
        severity: ruleSeverity(rule),
        description: rule.description,
      };
      const silenced = await this.silenced(tx, rule.id, taskId, now);
      const event = newEvent('alert.firing', { alert: alertPayload(alert, extras), ...sloFacts(extras) }, now, id);
      await this.webhooks.enqueue(tx, event, rule.webhookIds, silenced);
      return { alertId: id, eventId: event.id, silenced };
    });
  }

  /**
   * Resolves a firing alert and writes its `alert.resolved` event, in one transaction. The event
   * keeps the severity and details of the alert's last notice; re-sends not yet sent are dropped
   * (they would arrive after the resolve and fire it again in Alertmanager).
   */
  async resolve(
    rule: Pick<RuleRow, 'id' | 'kind' | 'webhookIds' | 'severity' | 'description'>,
    open: OpenAlert,
    value: number | null,
    now = new Date(),
    current: EventExtras = {},
  ) {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.alert.updateMany({
        where: { id: open.id, open: true },
        data: { open: null, resolvedAt: now, resolvedValue: value },
      });
      if (!count) return null;
      const fired = await tx.alert.findUniqueOrThrow({ where: { id: open.id }, select: { value: true } });
      const last = await this.webhooks.lastAlertNotice(tx, open.id);
      const alert = {
        ...open,
        kind: rule.kind,
        value: value ?? fired.value,
        resolvedAt: now,
        severity: ruleSeverity(rule),
        description: rule.description,
      };
      // The resolve repeats the severity and facts of the last notice; slo_burn adds the SLO as it is now.
      const extras: EventExtras = {
        ...(isSeverity(last?.severity) ? { severity: last.severity } : {}),
        ...(last?.details ? { details: last.details as EventExtras['details'] } : {}),
        ...(current.slo ? { slo: current.slo } : {}),
      };
      await this.webhooks.dropPendingResends(tx, open.id);
      const silenced = await this.silenced(tx, rule.id, open.taskId, now);
      const event = newEvent(
        'alert.resolved',
        { alert: alertPayload(alert, extras), ...sloFacts(extras) },
        now,
        open.id,
      );
      await this.webhooks.enqueue(tx, event, rule.webhookIds, silenced);
      return { eventId: event.id, silenced };
    });
  }

  async silenced(tx: Prisma.TransactionClient, ruleId: string, taskId: string | null, now: Date) {
    const n = await tx.silence.count({
      where: {
        startsAt: { lte: now },
        endsAt: { gt: now },
        AND: [{ OR: [{ ruleId: null }, { ruleId }] }, { OR: [{ taskId: null }, ...(taskId ? [{ taskId }] : [])] }],
      },
    });
    return n > 0;
  }

  // ------------------------------------------------------------------ retention

  /**
   * Deletes resolved alerts and silences that ended before `cutoff`, in batches (short
   * transactions, no long lock on the tables the evaluator writes). Firing alerts stay.
   */
  async deleteEndedBefore(cutoff: Date, batch = 5000): Promise<{ alerts: number; silences: number }> {
    let alerts = 0;
    for (;;) {
      const n = await this.prisma.$executeRaw`
        DELETE FROM alert WHERE id IN (
          SELECT id FROM alert
           WHERE fired_at < ${cutoff} AND open IS NULL AND resolved_at < ${cutoff}
           ORDER BY fired_at LIMIT ${batch})`;
      alerts += n;
      if (n < batch) break;
    }
    const { count: silences } = await this.prisma.silence.deleteMany({ where: { endsAt: { lt: cutoff } } });
    return { alerts, silences };
  }

  // ------------------------------------------------------------------ measurements

  /** The newest drive_history id (0 when there is none). */
  async lastHistoryId(): Promise<bigint> {
    const { rows } = await this.prisma.pool.query<{ id: string | null }>(LAST_HISTORY_ID.config({}));
    return BigInt(rows[0].id ?? 0);
  }

  /** The newest drive_history id, and the tasks with history rows after `afterId`. */
  async changedTasks(afterId: bigint): Promise<{ lastId: bigint; taskIds: string[] }> {
    const lastId = await this.lastHistoryId();
    if (lastId <= afterId) return { lastId, taskIds: [] };
    const { rows } = await this.prisma.pool.query<{ taskId: string }>(
      TASKS_WITH_HISTORY_BETWEEN.config({ after: String(afterId), upTo: String(lastId) }),
    );
    return { lastId, taskIds: rows.map((r) => r.taskId) };
  }

  /** Every tracked task, and every task with a drive still queued or playing. */
  async sweepTasks(): Promise<string[]> {
    const rows = await this.prisma.task.findMany({
      where: { OR: [{ tracking: true }, { queued: { gt: 0 } }, { playing: { gt: 0 } }] },
      select: { taskId: true },
    });
    return rows.map((r) => r.taskId);
  }

  /** Tasks with a drive still queued or playing. */
  async tasksWithLiveDrives(): Promise<string[]> {
    const rows = await this.prisma.task.findMany({
      where: { OR: [{ queued: { gt: 0 } }, { playing: { gt: 0 } }] },
      select: { taskId: true },
    });
    return rows.map((r) => r.taskId);
  }

  /** The statuses of each task's newest `n` ended drives (3 failed, 4 finished), newest first. */
  async recentEndedStatuses(taskIds: string[], n: number): Promise<Map<string, number[]>> {
    if (!taskIds.length) return new Map();
    const rows = await this.prisma.$queryRaw<Array<{ task_id: string; statuses: number[] }>>`
      SELECT t.task_id, ARRAY(
        SELECT d.status::int FROM drive d
        WHERE d.task_id = t.task_id AND d.status IN (3, 4)
        ORDER BY d.id DESC LIMIT ${n}
      ) AS statuses
      FROM unnest(${taskIds}::text[]) AS t(task_id)`;
    return new Map(rows.map((r) => [r.task_id, r.statuses]));
  }

  /**
   * Per task: drives that reached failed, and failed or finished, after `since`. Whole hours come
   * from the hourly outcome aggregate (written in the same transaction as the history, keyed on the
   * same observation time), and only the rest of the window's first hour from the history itself,
   * so a 7-day window reads about as much as a 1-hour one. Same numbers as counting the history.
   */
  async outcomesSince(taskIds: string[], since: Date): Promise<Map<string, { failed: number; ended: number }>> {
    const out = new Map<string, { failed: number; ended: number }>();
    if (!taskIds.length) return out;
    // The first whole hour of the window (UTC hours: the aggregate's keys).
    const firstWhole = new Date(Math.floor(since.getTime() / 3600_000) * 3600_000 + 3600_000);
    const rows = await this.prisma.$queryRaw<Array<{ task_id: string; failed: number; ended: number }>>`
      SELECT task_id, sum(failed)::int AS failed, sum(ended)::int AS ended FROM (
        SELECT task_id, count(*) FILTER (WHERE status = 3) AS failed, count(*) AS ended
          FROM drive_history
         WHERE task_id = ANY(${taskIds}::text[]) AND status IN (3, 4)
           AND observed_at > ${since}::timestamptz AND observed_at < ${firstWhole}::timestamptz
         GROUP BY task_id
        UNION ALL
        SELECT task_id, sum(failed), sum(failed + finished)
          FROM drive_outcome_hourly
         WHERE task_id = ANY(${taskIds}::text[]) AND hour >= ${firstWhole}::timestamptz
         GROUP BY task_id
      ) parts GROUP BY task_id`;
    for (const r of rows) if (r.ended > 0) out.set(r.task_id, { failed: r.failed, ended: r.ended });
    return out;
  }

  /** Per task: drives marked unresolved (of `taskIds`, or of every task when null). */
  async unresolvedDrives(taskIds: string[] | null): Promise<Map<string, number>> {
    if (taskIds && !taskIds.length) return new Map();
    const groups = await this.prisma.drive.groupBy({
      by: ['taskId'],
      where: { unresolvedAt: { not: null }, ...(taskIds ? { taskId: { in: taskIds } } : {}) },
      _count: { _all: true },
    });
    return new Map(groups.map((g) => [g.taskId, g._count._all]));
  }

  /** Per task: drives queued or playing since before `before` (first seen then). */
  async stuckDrives(taskIds: string[], before: Date): Promise<Map<string, number>> {
    if (!taskIds.length) return new Map();
    const groups = await this.prisma.drive.groupBy({
      by: ['taskId'],
      where: { taskId: { in: taskIds }, status: { in: [1, 2] }, firstSeenAt: { lt: before } },
      _count: { _all: true },
    });
    return new Map(groups.map((g) => [g.taskId, g._count._all]));
  }
}
