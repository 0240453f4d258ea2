import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isTimeIdKey, parseTimeIdKey, timeIdKey } from '../common/paging';
import { AppConfig } from '../config/app-config';
import { parseTime } from '../common/time';
import { SlosRepository } from '../slos/slos.repository';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { Severity } from '../webhooks/formats/notification';
import { AlertKind, checkRuleSettings, defaultSeverity } from './alert-conditions';
import { AlertRow, AlertsRepository, RuleInput, RuleRow, ruleSeverity } from './alerts.repository';
import {
  AlertPage,
  AlertRuleList,
  AlertRuleView,
  AlertView,
  CreateAlertRuleBody,
  CreateSilenceBody,
  SilenceList,
  SilenceView,
  UpdateAlertRuleBody,
} from './alerts.dto';

/** A silence may reach this far ahead (a maintenance window, not a way to mute a rule for ever). */
const MAX_SILENCE_AHEAD_MS = 90 * 86_400_000;

const ruleView = (r: RuleRow): AlertRuleView => ({
  id: r.id,
  kind: r.kind,
  taskId: r.taskId,
  threshold: r.threshold,
  windowS: r.windowS,
  minSamples: r.minSamples,
  thresholdS: r.thresholdS,
  sloId: r.sloId,
  webhookIds: r.webhookIds,
  description: r.description,
  enabled: r.enabled,
  severity: ruleSeverity(r),
  repeatIntervalMinutes: r.repeatIntervalMinutes,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const alertView = (a: AlertRow): AlertView => ({
  id: a.id,
  ruleId: a.ruleId,
  kind: a.rule.kind,
  taskId: a.taskId,
  state: a.resolvedAt ? ('resolved' as const) : ('firing' as const),
  value: a.value,
  threshold: a.threshold,
  firedAt: a.firedAt.toISOString(),
  resolvedAt: a.resolvedAt?.toISOString() ?? null,
  resolvedValue: a.resolvedValue,
});

const silenceView = (s: {
  id: string;
  ruleId: string | null;
  taskId: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdAt: Date;
}): SilenceView => ({
  ...s,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  createdAt: s.createdAt.toISOString(),
});

const ALERTS_LIST = 'alerts';

@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly config: AppConfig,
    private readonly slos: SlosRepository,
  ) {}

  async createRule(body: CreateAlertRuleBody): Promise<AlertRuleView> {
    const input = await this.ruleInput(body.kind, body.taskId ?? null, { ...body, sloId: body.sloId ?? null }, true);
    const max = this.config.ALERT_RULES_MAX;
    const row = await this.alerts.createRule(input, max);
    if (!row) {
      throw new ConflictException(
        `at most ${max} alert rules may exist (ALERT_RULES_MAX); delete one before adding another`,
      );
    }
    return ruleView(row);
  }

  async listRules(limit: number, cursor?: string): Promise<AlertRuleList> {
    const key = decodeCursor('alert-rules', cursor, isTimeIdKey);
    const { rows, more } = await this.alerts.pageRules(limit, key ? parseTimeIdKey(key) : null);
    const last = rows.at(-1);
    return {
      items: rows.map(ruleView),
      nextCursor: more && last ? encodeCursor('alert-rules', timeIdKey(last.createdAt, last.id)) : null,
    };
  }

  async getRule(id: string): Promise<AlertRuleView> {
    return ruleView(await this.rule(id));
  }

  async updateRule(
    id: string,
    body: UpdateAlertRuleBody & { kind?: unknown; taskId?: unknown },
  ): Promise<AlertRuleView> {
    const current = await this.rule(id);
    const merged = {
      threshold: body.threshold !== undefined ? body.threshold : current.threshold,
      windowS: body.windowS !== undefined ? body.windowS : current.windowS,
      minSamples: body.minSamples !== undefined ? body.minSamples : current.minSamples,
      thresholdS: body.thresholdS !== undefined ? body.thresholdS : current.thresholdS,
      webhookIds: body.webhookIds ?? current.webhookIds,
      description: body.description !== undefined ? body.description : current.description,
      enabled: body.enabled ?? current.enabled,
      sloId: current.sloId,
      severity: body.severity ?? ruleSeverity(current),
      repeatIntervalMinutes:
        body.repeatIntervalMinutes !== undefined ? body.repeatIntervalMinutes : current.repeatIntervalMinutes,
    };
    const input = await this.ruleInput(current.kind as AlertKind, current.taskId, merged, merged.enabled);
    const row = await this.alerts.updateRule(id, input);
    if (!row) throw new NotFoundException(`alert rule ${id} does not exist`);
    return ruleView(row);
  }

  async deleteRule(id: string): Promise<void> {
    if (!(await this.alerts.deleteRule(id))) throw new NotFoundException(`alert rule ${id} does not exist`);
  }

  async listAlerts(state: 'firing' | 'resolved' | undefined, limit: number, cursor?: string): Promise<AlertPage> {
    const list = `${ALERTS_LIST}:${state ?? 'all'}`;
    const key = decodeCursor(list, cursor, isTimeIdKey);
    const parsed = key ? parseTimeIdKey(key) : null;
    const after = parsed ? { firedAt: parsed.at, id: parsed.id } : null;
    const { rows, more } = await this.alerts.listAlerts(state, limit, after);
    const last = rows.at(-1);
    return {
      items: rows.map(alertView),
      nextCursor: more && last ? encodeCursor(list, timeIdKey(last.firedAt, last.id)) : null,
    };
  }

  async createSilence(body: CreateSilenceBody): Promise<SilenceView> {
    const now = Date.now();
    const startsAt = body.startsAt ? this.time('startsAt', body.startsAt) : new Date(now);
    const endsAt = this.time('endsAt', body.endsAt);
    if (endsAt <= startsAt) throw new BadRequestException('endsAt must be after startsAt');
    if (endsAt.getTime() <= now) throw new BadRequestException('endsAt must be in the future');
    if (endsAt.getTime() > now + MAX_SILENCE_AHEAD_MS)
      throw new BadRequestException('endsAt must be at most 90 days ahead');
    if (body.ruleId) await this.rule(body.ruleId, 'ruleId');
    const max = this.config.SILENCES_MAX;
    const row = await this.alerts.createSilence(
      { ruleId: body.ruleId ?? null, taskId: body.taskId ?? null, startsAt, endsAt, reason: body.reason },
      max,
      new Date(now),
    );
    if (!row) {
      throw new ConflictException(
        `at most ${max} silences may be active or scheduled (SILENCES_MAX); end one before adding another`,
      );
    }
    return silenceView(row);
  }

  async listSilences(limit: number, cursor?: string): Promise<SilenceList> {
    const key = decodeCursor('silences', cursor, isTimeIdKey);
    const { rows, more } = await this.alerts.listSilences(limit, key ? parseTimeIdKey(key) : null);
    const last = rows.at(-1);
    return {
      items: rows.map(silenceView),
      nextCursor: more && last ? encodeCursor('silences', timeIdKey(last.endsAt, last.id)) : null,
    };
  }

  async deleteSilence(id: string): Promise<void> {
    if (!(await this.alerts.deleteSilence(id))) throw new NotFoundException(`silence ${id} does not exist`);
  }

  private async rule(id: string, field?: string): Promise<RuleRow> {
    const row = await this.alerts.getRule(id);
    if (row) return row;
    if (field) throw new BadRequestException(`${field}: alert rule ${id} does not exist`);
    throw new NotFoundException(`alert rule ${id} does not exist`);
  }

  private time(field: string, text: string): Date {
    return new Date(parseTime(field, text));
  }

  /** Validates the settings for the kind and that every webhook exists; 400 naming each problem. */
  private async ruleInput(
    kind: AlertKind,
    taskId: string | null,
    body: {
      threshold?: number | null;
      windowS?: number | null;
      minSamples?: number | null;
      thresholdS?: number | null;
      webhookIds?: string[];
      description?: string | null;
      sloId: string | null;
      severity?: Severity;
      repeatIntervalMinutes?: number | null;
    },
    enabled: boolean | undefined,
  ): Promise<RuleInput> {
    const checked = checkRuleSettings(kind, { ...body, taskId });
    const problems = checked.ok ? [] : checked.problems;
    if (kind === 'slo_burn' && body.sloId && !(await this.slos.get(body.sloId, true))) {
      problems.push(`sloId: no SLO ${body.sloId}`);
    }
    const webhookIds = [...new Set(body.webhookIds ?? [])];
    const existing = new Set(await this.webhooks.existing(webhookIds));
    const missing = webhookIds.filter((id) => !existing.has(id));
    if (missing.length) problems.push(`webhookIds: no webhook ${missing.join(', ')}`);
    if (!checked.ok || problems.length) throw new BadRequestException(problems.join('; '));
    return {
      kind,
      taskId,
      ...checked.settings,
      webhookIds,
      description: body.description ?? null,
      enabled: enabled ?? true,
      sloId: kind === 'slo_burn' ? body.sloId : null,
      severity: body.severity ?? defaultSeverity(kind),
      repeatIntervalMinutes: body.repeatIntervalMinutes ?? null,
    };
  }
}
