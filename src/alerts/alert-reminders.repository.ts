import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { newEvent, WebhooksRepository } from '../webhooks/webhooks.repository';
import { AlertsRepository } from './alerts.repository';

/** A firing alert with what its rule says about notifying it again. */
export interface OpenAlertNotices {
  id: string;
  ruleId: string;
  taskId: string | null;
  firedAt: Date;
  remindedAt: Date | null;
  resentAt: Date | null;
  rule: { enabled: boolean; webhookIds: string[]; repeatIntervalMinutes: number | null };
}

/**
 * Notices about alerts still firing: reminders (the rule's repeatIntervalMinutes, to every
 * webhook of the rule) and re-sends (to Alertmanager endpoints, which forget an alert not sent
 * again). Each is claimed by a conditional update of the alert in the transaction that queues its
 * event, so two lease holders overlapping during a hand-over queue it once.
 */
@Injectable()
export class AlertRemindersRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly webhooks: WebhooksRepository,
    private readonly alerts: AlertsRepository,
  ) {}

  /**
   * Whether any alert is open: asked of the pool before anything goes through Prisma, so that a
   * process with nothing firing never loads Prisma's query compiler for this duty (docs/performance.md, Memory).
   */
  async anyOpen(): Promise<boolean> {
    const { rows } = await this.prisma.pool.query<{ any: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM alert WHERE open) AS any',
    );
    return rows[0].any;
  }

  openAlerts(): Promise<OpenAlertNotices[]> {
    return this.prisma.alert.findMany({
      where: { open: true },
      select: {
        id: true,
        ruleId: true,
        taskId: true,
        firedAt: true,
        remindedAt: true,
        resentAt: true,
        rule: { select: { enabled: true, webhookIds: true, repeatIntervalMinutes: true } },
      },
    });
  }

  /** Endpoints of a format (there are at most WEBHOOKS_MAX). */
  async endpointsOfFormat(format: string): Promise<Set<string>> {
    const rows = await this.prisma.webhookEndpoint.findMany({ where: { format }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Queues the next reminder of a firing alert if its last notice is at least `intervalMs` old:
   * an `alert.firing` event with `reminder: n`, to every webhook of the rule (silenced when a
   * silence covers it). Returns the reminder's number, or null when it was not due.
   */
  async remind(a: OpenAlertNotices, intervalMs: number, now = new Date()): Promise<number | null> {
    const due = new Date(now.getTime() - intervalMs);
    return this.prisma.$transaction(async (tx) => {
      const claimed = await tx.$queryRaw<Array<{ reminders: number }>>`
        UPDATE alert SET reminded_at = ${now}, reminders = reminders + 1
         WHERE id = ${a.id}::uuid AND open AND COALESCE(reminded_at, fired_at) <= ${due}
        RETURNING reminders`;
      if (!claimed.length) return null;
      const alert = await this.webhooks.lastAlertNotice(tx, a.id);
      if (!alert) return null;
      const n = claimed[0].reminders;
      const silenced = await this.alerts.silenced(tx, a.ruleId, a.taskId, now);
      const event = newEvent('alert.firing', { alert, reminder: n }, now, a.id);
      await this.webhooks.enqueue(tx, event, a.rule.webhookIds, silenced);
      return n;
    });
  }

  /**
   * Queues the alert again for `targets` (Alertmanager endpoints of its rule) if it was last
   * queued for them at least `everyMs` ago; an endpoint that still has an event about the alert
   * waiting gets nothing more (a receiver that is down does not pile re-sends up). Silenced
   * alerts are not re-sent. True when an event was queued.
   */
  async resend(a: OpenAlertNotices, targets: string[], everyMs: number, now = new Date()): Promise<boolean> {
    const due = new Date(now.getTime() - everyMs);
    return this.prisma.$transaction(async (tx) => {
      const claimed = await tx.$executeRaw`
        UPDATE alert SET resent_at = ${now}
         WHERE id = ${a.id}::uuid AND open AND COALESCE(resent_at, fired_at) <= ${due}`;
      if (!claimed) return false;
      if (await this.alerts.silenced(tx, a.ruleId, a.taskId, now)) return false;
      const waiting = await this.webhooks.withPendingAbout(tx, a.id, targets);
      const to = targets.filter((id) => !waiting.has(id));
      if (!to.length) return false;
      const alert = await this.webhooks.lastAlertNotice(tx, a.id);
      if (!alert) return false;
      const event = newEvent('alert.resend', { alert }, now, a.id);
      return (await this.webhooks.enqueue(tx, event, to, false, ['alertmanager'])) > 0;
    });
  }
}
