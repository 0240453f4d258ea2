import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor, isTimeKey, isUuidKey } from '../common/cursor';
import { parseTime } from '../common/time';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { AlertKind, checkRuleSettings } from './alert-conditions';
import { AlertRow, AlertsRepository, RuleInput, RuleRow } from './alerts.repository';
import { CreateAlertRuleBody, CreateSilenceBody, UpdateAlertRuleBody } from './alerts.dto';

/** A silence may reach this far ahead (a maintenance window, not a way to mute a rule for ever). */
const MAX_SILENCE_AHEAD_MS = 90 * 86_400_000;

const ruleView = (r: RuleRow) => ({
  id: r.id,
  kind: r.kind,
  taskId: r.taskId,
  threshold: r.threshold,
  windowS: r.windowS,
  minSamples: r.minSamples,
  thresholdS: r.thresholdS,
  webhookIds: r.webhookIds,
  description: r.description,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const alertView = (a: AlertRow) => ({
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
}) => ({
  ...s,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  createdAt: s.createdAt.toISOString(),
});

const ALERTS_LIST = 'alerts';
/** `<firedAt ms>|<alert id>`. */
const isAlertKey = (text: string) => {
  const [ms, id, extra] = text.split('|');
  return extra === undefined && id !== undefined && isTimeKey(ms) && isUuidKey(id);
};

@Injectable()
export class AlertsService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly webhooks: WebhooksRepository,
  ) {}

  async createRule(body: CreateAlertRuleBody) {
    const input = await this.ruleInput(body.kind, body.taskId ?? null, body, true);
    return ruleView(await this.alerts.createRule(input));
  }

  async listRules() {
    return { items: (await this.alerts.listRules()).map(ruleView) };
  }

  async getRule(id: string) {
    return ruleView(await this.rule(id));
  }

  async updateRule(id: string, body: UpdateAlertRuleBody & { kind?: unknown; taskId?: unknown }) {
    const current = await this.rule(id);
    const merged = {
      threshold: body.threshold !== undefined ? body.threshold : current.threshold,
      windowS: body.windowS !== undefined ? body.windowS : current.windowS,
      minSamples: body.minSamples !== undefined ? body.minSamples : current.minSamples,
      thresholdS: body.thresholdS !== undefined ? body.thresholdS : current.thresholdS,
      webhookIds: body.webhookIds ?? current.webhookIds,
      description: body.description !== undefined ? body.description : current.description,
      enabled: body.enabled ?? current.enabled,
    };
    const input = await this.ruleInput(current.kind as AlertKind, current.taskId, merged, merged.enabled);
    const row = await this.alerts.updateRule(id, input);
    if (!row) throw new NotFoundException(`alert rule ${id} does not exist`);
    return ruleView(row);
  }

  async deleteRule(id: string): Promise<void> {
    if (!(await this.alerts.deleteRule(id))) throw new NotFoundException(`alert rule ${id} does not exist`);
  }

  async listAlerts(state: 'firing' | 'resolved' | undefined, limit: number, cursor?: string) {
    const list = `${ALERTS_LIST}:${state ?? 'all'}`;
    const key = decodeCursor(list, cursor, isAlertKey);
    const after = key ? { firedAt: new Date(Number(key.split('|')[0])), id: key.split('|')[1] } : null;
    const { rows, more } = await this.alerts.listAlerts(state, limit, after);
    const last = rows.at(-1);
    return {
      items: rows.map(alertView),
      nextCursor: more && last ? encodeCursor(list, `${last.firedAt.getTime()}|${last.id}`) : null,
    };
  }

  async createSilence(body: CreateSilenceBody) {
    const now = Date.now();
    const startsAt = body.startsAt ? this.time('startsAt', body.startsAt) : new Date(now);
    const endsAt = this.time('endsAt', body.endsAt);
    if (endsAt <= startsAt) throw new BadRequestException('endsAt must be after startsAt');
    if (endsAt.getTime() <= now) throw new BadRequestException('endsAt must be in the future');
    if (endsAt.getTime() > now + MAX_SILENCE_AHEAD_MS)
      throw new BadRequestException('endsAt must be at most 90 days ahead');
    if (body.ruleId) await this.rule(body.ruleId, 'ruleId');
    const row = await this.alerts.createSilence({
      ruleId: body.ruleId ?? null,
      taskId: body.taskId ?? null,
      startsAt,
      endsAt,
      reason: body.reason,
    });
    return silenceView(row);
  }

  async listSilences() {
    return { items: (await this.alerts.listSilences()).map(silenceView) };
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
    },
    enabled: boolean | undefined,
  ): Promise<RuleInput> {
    const checked = checkRuleSettings(kind, { ...body, taskId });
    const problems = checked.ok ? [] : checked.problems;
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
    };
  }
}
