import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { TasksRepository } from '../drives/tasks.repository';
import { MetricsService } from '../metrics/metrics.service';
import { burnVerdict } from '../slos/slo-math';
import { SloRow, SlosRepository } from '../slos/slos.repository';
import { SlosService } from '../slos/slos.service';
import { WebhookDeliveryService } from '../webhooks/webhook-delivery.service';
import { ZegoClient } from '../zego/zego.client';
import {
  AlertKind,
  isPerTask,
  leadingFailures,
  Measurement,
  shouldFire,
  shouldResolve,
  thresholdOf,
} from './alert-conditions';
import { AlertsRepository, RuleRow } from './alerts.repository';

/** Every task is looked at this often even when nothing changed (windows slide, drives get stuck). */
const SWEEP_EVERY_MS = 60_000;

const scopeKey = (ruleId: string, taskId: string | null) => `${ruleId}|${taskId ?? ''}`;

/**
 * SLOs measured at once in a round: each measurement is one statement on one pool connection, so
 * this stays within the connections the pool keeps for the background duties (POOL_RESERVE).
 */
const SLO_MEASURE_CONCURRENCY = 3;

/**
 * Evaluates the alert rules on the replica holding the fleet lease, so one evaluator runs
 * fleet-wide. Each round looks at the tasks whose history changed since the last round, the tasks
 * with a firing alert, and (for stuck drives) tasks with drives still running; every minute, and
 * after taking the lease over, at every tracked task. Firing and resolving are guarded by the
 * database (one open alert per rule and scope), so even two overlapping evaluators during a lease
 * hand-over cannot send an event twice for one transition.
 */
@Injectable()
export class AlertEvaluatorService {
  /** The last drive_history id looked at; null: the next round sweeps every task. */
  private cursor: bigint | null = null;
  private lastSweepAt = 0;
  /** This round's SLO measurements by SLO id: several rules on one SLO read it once. */
  private sloRound = new Map<string, Measurement>();

  constructor(
    config: AppConfig,
    private readonly alerts: AlertsRepository,
    private readonly tasks: TasksRepository,
    private readonly zego: ZegoClient,
    private readonly delivery: WebhookDeliveryService,
    duties: BackgroundDuties,
    metrics: MetricsService,
    private readonly slos: SlosService,
    private readonly sloRows: SlosRepository,
  ) {
    const firing = () => this.alerts.countFiring();
    metrics.alertsFiring.readFrom(async (gauge) => gauge.set(await firing()));
    duties.register({
      name: 'alert-evaluation',
      everyMs: config.ALERT_EVAL_INTERVAL_MS,
      run: () => this.evaluate(),
      // Whoever holds the lease evaluates; on taking it back, start with a sweep.
      onGateClosed: () => (this.cursor = null),
    });
  }

  /** One round over every rule. Public for tests; returns the transitions it wrote. */
  async evaluate(now = new Date()): Promise<{ fired: number; resolved: number }> {
    if (!(await this.alerts.anythingToWatch())) {
      this.cursor = null; // as below: the first round after a rule appears sweeps
      return { fired: 0, resolved: 0 };
    }
    const rules = await this.alerts.listRules();
    const open = new Map((await this.alerts.openAlerts()).map((a) => [scopeKey(a.ruleId, a.taskId), a]));
    if (!rules.some((r) => r.enabled) && !open.size) {
      // Nothing to watch: no reads of history at all; the first round after a rule appears sweeps.
      this.cursor = null;
      return { fired: 0, resolved: 0 };
    }
    const sweep = this.cursor === null || now.getTime() - this.lastSweepAt >= SWEEP_EVERY_MS;
    this.sloRound = new Map();
    const counts = { fired: 0, resolved: 0 };

    // The tasks worth looking at this round.
    let lastId: bigint;
    const candidates = new Set<string>();
    if (this.cursor === null) {
      lastId = await this.alerts.lastHistoryId();
    } else {
      const changed = await this.alerts.changedTasks(this.cursor);
      lastId = changed.lastId;
      changed.taskIds.forEach((t) => candidates.add(t));
    }
    const enabled = rules.filter((r) => r.enabled) as Array<RuleRow & { kind: AlertKind }>;
    if (enabled.some((r) => isPerTask(r.kind) && !r.taskId)) {
      if (sweep) (await this.alerts.sweepTasks()).forEach((t) => candidates.add(t));
      if (enabled.some((r) => r.kind === 'stuck_drive')) {
        (await this.alerts.tasksWithLiveDrives()).forEach((t) => candidates.add(t));
      }
      // Drives are marked unresolved without a history row: look at the tasks that have some.
      if (enabled.some((r) => r.kind === 'unresolved_drives')) {
        for (const t of (await this.alerts.unresolvedDrives(null)).keys()) candidates.add(t);
      }
      for (const a of open.values()) if (a.taskId) candidates.add(a.taskId);
    }

    await this.measureSlos(enabled, now);
    for (const rule of enabled) {
      const measured = await this.measure(rule, rule.taskId ? [rule.taskId] : [...candidates], now);
      for (const [taskId, m] of measured) {
        const current = open.get(scopeKey(rule.id, taskId));
        open.delete(scopeKey(rule.id, taskId));
        if (current) {
          if (shouldResolve(rule, m) && (await this.alerts.resolve(rule, current, m.value, now, m.extras))) {
            counts.resolved++;
          }
        } else if (
          shouldFire(rule, m) &&
          (await this.alerts.fire(rule, taskId, m.value, m.threshold ?? thresholdOf(rule), now, m.extras))
        ) {
          counts.fired++;
        }
      }
    }
    // Alerts of rules that were disabled resolve (their condition is no longer watched).
    const byId = new Map(rules.map((r) => [r.id, r]));
    for (const a of open.values()) {
      const rule = byId.get(a.ruleId);
      if (rule && !rule.enabled && (await this.alerts.resolve(rule, a, null, now))) counts.resolved++;
    }

    this.cursor = lastId;
    if (sweep) this.lastSweepAt = now.getTime();
    if (counts.fired || counts.resolved) this.delivery.kick();
    return counts;
  }

  /** The rule's value for each scope it covers: each task given (per-task kinds) or the service. */
  private async measure(rule: RuleRow, taskIds: string[], now: Date): Promise<Map<string | null, Measurement>> {
    const out = new Map<string | null, Measurement>();
    switch (rule.kind) {
      case 'consecutive_failures': {
        const recent = await this.alerts.recentEndedStatuses(taskIds, rule.threshold ?? 1);
        for (const [taskId, statuses] of recent) {
          out.set(taskId, { value: leadingFailures(statuses), anyEnded: statuses.length > 0 });
        }
        break;
      }
      case 'failure_rate': {
        const since = new Date(now.getTime() - (rule.windowS ?? 3600) * 1000);
        const outcomes = await this.alerts.outcomesSince(taskIds, since);
        for (const taskId of taskIds) {
          const o = outcomes.get(taskId) ?? { failed: 0, ended: 0 };
          out.set(taskId, { value: o.ended ? o.failed / o.ended : 0, samples: o.ended });
        }
        break;
      }
      case 'stuck_drive': {
        const stuck = await this.alerts.stuckDrives(taskIds, new Date(now.getTime() - (rule.thresholdS ?? 0) * 1000));
        for (const taskId of taskIds) out.set(taskId, { value: stuck.get(taskId) ?? 0 });
        break;
      }
      case 'unresolved_drives': {
        const unresolved = await this.alerts.unresolvedDrives(taskIds);
        for (const taskId of taskIds) out.set(taskId, { value: unresolved.get(taskId) ?? 0 });
        break;
      }
      case 'sync_lag': {
        const snapshot = await this.tasks.statusSnapshot();
        out.set(null, { value: Math.round(snapshot.lagSeconds * 10) / 10 });
        break;
      }
      case 'upstream':
        out.set(null, { value: this.zego.circuitOpen || this.zego.credentialsProblem ? 1 : 0 });
        break;
      case 'slo_burn': {
        // Measured for the whole round beforehand (measureSlos); null when the SLO is gone.
        const m = rule.sloId ? this.sloRound.get(rule.sloId) : undefined;
        if (m) out.set(null, m);
        break;
      }
    }
    return out;
  }

  /**
   * The SLOs the round's slo_burn rules watch, each measured once however many rules watch it:
   * their rows in one query, then SLO_MEASURE_CONCURRENCY measurements at a time (one round of 100
   * SLOs one after the other was the slowest part of a round).
   */
  private async measureSlos(rules: RuleRow[], now: Date): Promise<void> {
    const ids = [...new Set(rules.filter((r) => r.kind === 'slo_burn' && r.sloId).map((r) => r.sloId as string))];
    if (!ids.length) return;
    const rows = await this.sloRows.byIds(ids);
    const queue = [...rows.values()];
    const worker = async () => {
      for (let slo = queue.shift(); slo; slo = queue.shift())
        this.sloRound.set(slo.id, await this.measureSlo(slo, now));
    };
    await Promise.all(Array.from({ length: Math.min(SLO_MEASURE_CONCURRENCY, queue.length) }, worker));
  }

  /** The multiwindow, multi-burn-rate verdict of an SLO, read from the primary (what is written follows from it). */
  private async measureSlo(slo: SloRow, now: Date): Promise<Measurement> {
    const measured = await this.slos.measure(slo, now, true);
    const verdict = burnVerdict(measured.burnRates, slo.windowDays);
    const round = (n: number) => Math.round(n * 1e4) / 1e4;
    return {
      value: round(verdict.value),
      threshold: round(verdict.threshold),
      holds: verdict.firing !== null,
      extras: {
        ...(verdict.firing ? { severity: verdict.firing.severity } : {}),
        // Flat facts every notification format shows (Slack fields, PagerDuty custom_details…).
        details: {
          slo: slo.name,
          objective: `${slo.objective} %`,
          action: verdict.firing?.action ?? null,
          'budget left': round(measured.errorBudget.remainingFraction),
          ...Object.fromEntries(Object.entries(measured.burnRates).map(([k, v]) => [`burn ${k}`, round(v)])),
        },
        slo: {
          id: slo.id,
          name: slo.name,
          objective: slo.objective,
          windowDays: slo.windowDays,
          severity: verdict.firing?.severity ?? null,
          action: verdict.firing?.action ?? null,
          window: verdict.firing ? { long: verdict.firing.long, short: verdict.firing.short } : null,
          burnRates: Object.fromEntries(Object.entries(measured.burnRates).map(([k, v]) => [k, round(v)])),
          budgetRemaining: round(measured.errorBudget.remainingFraction),
        },
      },
    };
  }
}
