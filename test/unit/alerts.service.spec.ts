import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import type { AlertsRepository } from '../../src/alerts/alerts.repository';
import { SlosRepository } from '../../src/slos/slos.repository';
import { AlertsService } from '../../src/alerts/alerts.service';
import { encodeCursor } from '../../src/common/cursor';
import { timeIdKey } from '../../src/common/paging';
import type { AppConfig } from '../../src/config/app-config';
import type { WebhooksRepository } from '../../src/webhooks/webhooks.repository';
import { ruleRow, stub, uuid } from '../support/factories';

/** The alerts service on stubbed repositories: validation, limits, paging and views. */
function service(parts: {
  alerts?: Partial<Record<keyof AlertsRepository, unknown>>;
  webhooks?: Partial<Record<keyof WebhooksRepository, unknown>>;
  config?: Partial<AppConfig>;
}) {
  return new AlertsService(
    stub<AlertsRepository>(parts.alerts ?? {}),
    stub<WebhooksRepository>({ existing: jest.fn().mockResolvedValue([]), ...parts.webhooks }),
    { ALERT_RULES_MAX: 500, SILENCES_MAX: 100, ...parts.config } as AppConfig,
    stub<SlosRepository>({}),
  );
}

describe('AlertsService', () => {
  describe('createRule', () => {
    it('writes the checked settings with the webhooks named once each, and answers the view', async () => {
      const hook = uuid();
      const createRule = jest.fn((input) => Promise.resolve(ruleRow({ ...input })));
      const rule = await service({
        alerts: { createRule },
        webhooks: { existing: jest.fn().mockResolvedValue([hook]) },
      }).createRule({ kind: 'consecutive_failures', threshold: 3, webhookIds: [hook, hook] });
      expect(createRule).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'consecutive_failures', threshold: 3, webhookIds: [hook], enabled: true }),
        500,
      );
      expect(rule).toMatchObject({
        kind: 'consecutive_failures',
        webhookIds: [hook],
        createdAt: '2026-11-30T08:00:00.000Z',
      });
    });

    it('refuses bad settings and unknown webhooks in one 400 that names each, writing nothing', async () => {
      const createRule = jest.fn();
      const missing = uuid();
      const attempt = service({ alerts: { createRule } }).createRule({
        kind: 'failure_rate',
        threshold: 3,
        webhookIds: [missing],
      });
      await expect(attempt).rejects.toThrow(BadRequestException);
      await expect(attempt).rejects.toThrow(new RegExp(`threshold.*; webhookIds: no webhook ${missing}`));
      expect(createRule).not.toHaveBeenCalled();
    });

    it('answers 409 naming ALERT_RULES_MAX when the repository finds the limit reached', async () => {
      const createRule = jest.fn().mockResolvedValue(null);
      await expect(
        service({ alerts: { createRule }, config: { ALERT_RULES_MAX: 2 } }).createRule({
          kind: 'consecutive_failures',
          threshold: 3,
        }),
      ).rejects.toThrow(
        new ConflictException('at most 2 alert rules may exist (ALERT_RULES_MAX); delete one before adding another'),
      );
    });
  });

  it('updates a rule with the settings given and keeps the others, never its kind or task', async () => {
    const current = ruleRow({ kind: 'consecutive_failures', taskId: 'task-1', threshold: 3, description: 'old' });
    const updateRule = jest.fn((id, input) => Promise.resolve(ruleRow({ id, ...input })));
    const rule = await service({
      alerts: { getRule: jest.fn().mockResolvedValue(current), updateRule },
    }).updateRule(current.id, { threshold: 5, enabled: false, kind: 'sync_lag', taskId: 'other' });
    expect(updateRule).toHaveBeenCalledWith(
      current.id,
      expect.objectContaining({
        kind: 'consecutive_failures',
        taskId: 'task-1',
        threshold: 5,
        description: 'old',
        enabled: false,
      }),
    );
    expect(rule).toMatchObject({ threshold: 5, enabled: false });
  });

  it('answers 404 for a rule that does not exist', async () => {
    const alerts = service({
      alerts: { getRule: jest.fn().mockResolvedValue(null), deleteRule: jest.fn().mockResolvedValue(false) },
    });
    await expect(alerts.getRule('r')).rejects.toThrow(NotFoundException);
    await expect(alerts.deleteRule('r')).rejects.toThrow(NotFoundException);
  });

  it('pages rules by (createdAt, id) and gives no cursor on the last page', async () => {
    const rows = [ruleRow(), ruleRow()];
    const pageRules = jest
      .fn()
      .mockResolvedValueOnce({ rows, more: true })
      .mockResolvedValueOnce({ rows: [], more: false });
    const alerts = service({ alerts: { pageRules } });
    const first = await alerts.listRules(2);
    expect(first.nextCursor).toBe(encodeCursor('alert-rules', timeIdKey(rows[1].createdAt, rows[1].id)));
    const second = await alerts.listRules(2, first.nextCursor!);
    expect(pageRules).toHaveBeenLastCalledWith(2, { at: rows[1].createdAt, id: rows[1].id });
    expect(second).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a cursor of another list of alerts before reading anything', async () => {
    const listAlerts = jest.fn();
    const firingCursor = encodeCursor('alerts:firing', timeIdKey(new Date(), uuid()));
    await expect(service({ alerts: { listAlerts } }).listAlerts('resolved', 10, firingCursor)).rejects.toThrow(
      BadRequestException,
    );
    expect(listAlerts).not.toHaveBeenCalled();
  });

  describe('createSilence', () => {
    const NOW = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();

    it.each([
      [
        'ends before it starts',
        { startsAt: iso(NOW + 7_200_000), endsAt: iso(NOW + 3_600_000) },
        /endsAt must be after startsAt/,
      ],
      [
        'has ended already',
        { startsAt: iso(NOW - 7_200_000), endsAt: iso(NOW - 3_600_000) },
        /endsAt must be in the future/,
      ],
      ['reaches more than 90 days ahead', { endsAt: iso(NOW + 91 * 86_400_000) }, /at most 90 days ahead/],
    ])('refuses a silence that %s', async (_, times, message) => {
      const createSilence = jest.fn();
      await expect(
        service({ alerts: { createSilence } }).createSilence({ reason: 'deploy', ...times }),
      ).rejects.toThrow(message);
      expect(createSilence).not.toHaveBeenCalled();
    });

    it('refuses an unknown ruleId with a 400 that names the field', async () => {
      const attempt = service({ alerts: { getRule: jest.fn().mockResolvedValue(null) } }).createSilence({
        reason: 'deploy',
        ruleId: 'r-1',
        endsAt: iso(NOW + 3_600_000),
      });
      await expect(attempt).rejects.toThrow(new BadRequestException('ruleId: alert rule r-1 does not exist'));
    });

    it('starts now by default and answers times as ISO strings', async () => {
      const createSilence = jest.fn((input) => Promise.resolve({ id: uuid(), createdAt: new Date(), ...input }));
      const silence = await service({ alerts: { createSilence } }).createSilence({
        reason: 'deploy',
        endsAt: iso(NOW + 3_600_000),
      });
      expect(createSilence).toHaveBeenCalledWith(
        expect.objectContaining({ ruleId: null, taskId: null }),
        100,
        expect.any(Date),
      );
      expect(silence.endsAt).toBe(iso(NOW + 3_600_000));
      expect(Date.parse(silence.startsAt)).toBeGreaterThanOrEqual(NOW);
    });
  });
});
