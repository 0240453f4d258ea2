import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import type { AppConfig } from '../../src/config/app-config';
import type { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import type { WebhooksRepository } from '../../src/webhooks/webhooks.repository';
import { shownUrl, WebhooksService } from '../../src/webhooks/webhooks.service';
import { stub, uuid, webhookRow } from '../support/factories';

/** The webhooks service on a stubbed repository and sender: URL checks, limits, views, outcomes. */
function service(
  webhooks: Partial<Record<keyof WebhooksRepository, unknown>>,
  delivery: Partial<Record<keyof WebhookDeliveryService, unknown>> = {},
  config: Partial<AppConfig> = {},
) {
  return new WebhooksService(stub<WebhooksRepository>(webhooks), stub<WebhookDeliveryService>(delivery), {
    WEBHOOK_ALLOW_PRIVATE: false,
    WEBHOOKS_MAX: 20,
    ...config,
  } as AppConfig);
}

describe('WebhooksService', () => {
  it('masks credentials in a URL, the user name too, and leaves others alone', () => {
    expect(shownUrl('https://user:pa55@hooks.example.com/x')).toBe('https://***:***@hooks.example.com/x');
    expect(shownUrl('https://token@hooks.example.com/x')).toBe('https://***@hooks.example.com/x');
    expect(shownUrl('https://hooks.example.com/x')).toBe('https://hooks.example.com/x');
  });

  describe('create', () => {
    it('answers the secret once, and the URL masked', async () => {
      const create = jest.fn(({ url }: { url: string }) =>
        Promise.resolve({ ...webhookRow({ url }), secret: 'whsec_x' }),
      );
      const hook = await service({ create }).create({
        url: 'https://user:pa55@hooks.example.com/x',
        description: 'ops',
      });
      expect(create).toHaveBeenCalledWith(
        { url: 'https://user:pa55@hooks.example.com/x', description: 'ops', format: 'signed', routingKey: null },
        20,
      );
      expect(hook).toMatchObject({ url: 'https://***:***@hooks.example.com/x', secret: 'whsec_x', state: 'healthy' });
      expect(JSON.stringify(hook)).not.toContain('pa55');
    });

    it('refuses a private address before writing anything', async () => {
      const create = jest.fn();
      await expect(service({ create }).create({ url: 'http://127.0.0.1:9/x' })).rejects.toThrow(BadRequestException);
      expect(create).not.toHaveBeenCalled();
    });

    it('answers 409 naming WEBHOOKS_MAX when the repository finds the limit reached', async () => {
      const create = jest.fn().mockResolvedValue(null);
      await expect(
        service({ create }, {}, { WEBHOOKS_MAX: 3 }).create({ url: 'https://hooks.example.com/x' }),
      ).rejects.toThrow(
        new ConflictException('at most 3 webhooks may exist (WEBHOOKS_MAX); delete one before adding another'),
      );
    });
  });

  it('shows an endpoint failing since when, with its backlog', async () => {
    const failingSince = new Date('2026-11-30T09:00:00Z');
    const get = jest.fn().mockResolvedValue(webhookRow({ failingSince, pending: 4 }));
    expect(await service({ get }).get('w')).toMatchObject({
      state: 'failing',
      failingSince: '2026-11-30T09:00:00.000Z',
      lastDeliveredAt: null,
      pending: 4,
    });
  });

  it('queues a test event for that endpoint alone, then wakes the sender', async () => {
    const id = uuid();
    const enqueueNow = jest.fn().mockResolvedValue(1);
    const kick = jest.fn();
    const answer = await service(
      { get: jest.fn().mockResolvedValue(webhookRow({ id })), enqueueNow },
      { kick },
    ).sendTest(id);
    expect(enqueueNow).toHaveBeenCalledWith(expect.objectContaining({ id: answer.eventId, type: 'webhook.test' }), [
      id,
    ]);
    expect(kick).toHaveBeenCalled();
  });

  it('answers 404 for an unknown endpoint before queueing or reading attempts', async () => {
    const enqueueNow = jest.fn();
    const attempts = jest.fn();
    const hooks = service({ get: jest.fn().mockResolvedValue(null), enqueueNow, attempts });
    await expect(hooks.sendTest('w')).rejects.toThrow(NotFoundException);
    await expect(hooks.attempts('w', 10)).rejects.toThrow(NotFoundException);
    expect(enqueueNow).not.toHaveBeenCalled();
    expect(attempts).not.toHaveBeenCalled();
  });

  it('names each attempt delivered (2xx), retrying (a retry is due) or gave_up', async () => {
    const attempt = (id: number, statusCode: number | null, nextRetryAt: Date | null) => ({
      id: BigInt(id),
      attempt: 1,
      at: new Date('2026-11-30T09:00:00Z'),
      statusCode,
      error: statusCode === null ? 'timeout' : null,
      durationMs: 12,
      nextRetryAt,
      delivery: { eventId: uuid(), event: { type: 'alert.firing' } },
    });
    const rows = [attempt(3, 204, null), attempt(2, 500, new Date('2026-11-30T09:01:00Z')), attempt(1, null, null)];
    const page = await service({
      get: jest.fn().mockResolvedValue(webhookRow()),
      attempts: jest.fn().mockResolvedValue({ rows, more: false }),
    }).attempts('w', 10);
    expect(page.items.map((a) => a.outcome)).toEqual(['delivered', 'retrying', 'gave_up']);
    expect(page.items[1].nextRetryAt).toBe('2026-11-30T09:01:00.000Z');
    expect(page.nextCursor).toBeNull();
  });
});
