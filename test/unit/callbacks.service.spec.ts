import { ServiceUnavailableException } from '@nestjs/common';
import { CallbacksService } from '../../src/callbacks/callbacks.service';
import type { CallbackEvent } from '../../src/callbacks/zego-callback';
import type { CallbackReceiptsRepository } from '../../src/drives/callback-receipts.repository';
import type { ObservationsRepository } from '../../src/drives/observations.repository';
import type { TasksRepository } from '../../src/drives/tasks.repository';
import type { ZegoClient } from '../../src/zego/zego.client';
import { ZegoError } from '../../src/zego/zego.errors';
import { callbackReceipt, stub, taskRow } from '../support/factories';

/** The callbacks service on stubbed repositories and upstream: which write, which question, which outcome. */
function service(parts: {
  observations?: Partial<Record<keyof ObservationsRepository, unknown>>;
  tasks?: Partial<Record<keyof TasksRepository, unknown>>;
  receipts?: Partial<Record<keyof CallbackReceiptsRepository, unknown>>;
  zego?: Partial<Record<keyof ZegoClient, unknown>>;
}) {
  return new CallbacksService(
    stub<ObservationsRepository>(parts.observations ?? {}),
    stub<TasksRepository>(parts.tasks ?? {}),
    stub<CallbackReceiptsRepository>(parts.receipts ?? {}),
    stub<ZegoClient>(parts.zego ?? {}),
  );
}

const AT = new Date('2026-11-30T08:00:00Z');
const drive = (status: 1 | 2 | 3 | 4): CallbackEvent => ({
  kind: 'drive',
  taskId: 'task-1',
  driveId: 'd-1',
  status,
  eventTime: AT,
});
const task = (status: 1 | 2 | 3 | 4 | 5): Extract<CallbackEvent, { kind: 'task' }> => ({
  kind: 'task',
  taskId: 'task-1',
  status,
  roomId: 'room-1',
  eventTime: AT,
});

describe('CallbacksService', () => {
  describe('a drive event', () => {
    it('is written as a callback observation at its event time, with its receipt', async () => {
      const applyCallback = jest.fn().mockResolvedValue({ plan: { changes: [{ driveId: 'd-1' }], regressions: [] } });
      const receipt = callbackReceipt();
      expect(await service({ observations: { applyCallback } }).record(drive(2), receipt)).toBe('recorded');
      expect(applyCallback).toHaveBeenCalledWith(
        'task-1',
        [{ driveId: 'd-1', status: 2 }],
        { at: AT, source: 'callback', complete: false, ensureTask: 'callback' },
        receipt,
      );
    });

    it.each([
      ['a retry of an applied callback', 'duplicate', 'duplicate'],
      ['a signature reused with another body', 'reused', 'reused'],
      ['a write that changes nothing (late or repeated)', 'duplicate', { plan: { changes: [], regressions: [] } }],
    ])('answers %s as %s', async (_, outcome, written) => {
      const applyCallback = jest.fn().mockResolvedValue(written);
      expect(await service({ observations: { applyCallback } }).record(drive(4), callbackReceipt())).toBe(outcome);
    });
  });

  it('keeps the receipt of an event type it does not use, and says ignored (or reused)', async () => {
    const claimAlone = jest.fn().mockResolvedValueOnce('new').mockResolvedValueOnce('reused');
    const callbacks = service({ receipts: { claimAlone } });
    expect(await callbacks.record({ kind: 'other', eventType: 99 }, callbackReceipt())).toBe('ignored');
    expect(await callbacks.record({ kind: 'other', eventType: 99 }, callbackReceipt())).toBe('reused');
    expect(claimAlone).toHaveBeenCalledTimes(2);
  });

  describe('a stream task event', () => {
    it('of a known task that goes on is recorded as sent, without asking the upstream', async () => {
      const recordTaskEvent = jest.fn().mockResolvedValue({ receipt: 'new', changed: true });
      const callbacks = service({ tasks: { getTask: jest.fn().mockResolvedValue(taskRow()), recordTaskEvent } });
      expect(await callbacks.record(task(3), callbackReceipt())).toBe('recorded');
      expect(recordTaskEvent).toHaveBeenCalledWith(
        'task-1',
        expect.objectContaining({ status: 3, at: AT, roomId: 'room-1' }),
        expect.objectContaining({ create: false }),
      );
    });

    it('that ends a task is confirmed upstream first, holding the signature meanwhile', async () => {
      const hold = jest.fn().mockResolvedValue('new');
      const call = jest.fn().mockResolvedValue({ Status: 2, RoomId: 'room-1' });
      const recordTaskEvent = jest.fn().mockResolvedValue({ receipt: 'new', changed: true });
      const callbacks = service({
        tasks: { getTask: jest.fn().mockResolvedValue(taskRow()), recordTaskEvent },
        receipts: { hold },
        zego: { call },
      });
      expect(await callbacks.record(task(2), callbackReceipt())).toBe('recorded');
      expect(hold).toHaveBeenCalled();
      expect(call).toHaveBeenCalledWith('GetDigitalHumanStreamTaskStatus', { TaskId: 'task-1' });
      // The upstream agrees: the event's own time is kept.
      expect(recordTaskEvent.mock.calls[0][1]).toMatchObject({ status: 2, at: AT });
    });

    it('records what the upstream says when it contradicts the event, and says unconfirmed', async () => {
      const recordTaskEvent = jest.fn().mockResolvedValue({ receipt: 'new', changed: true });
      const callbacks = service({
        tasks: { getTask: jest.fn().mockResolvedValue(null), recordTaskEvent },
        receipts: { hold: jest.fn().mockResolvedValue('new') },
        zego: { call: jest.fn().mockResolvedValue({ Status: 3 }) },
      });
      expect(await callbacks.record(task(1), callbackReceipt())).toBe('unconfirmed');
      expect(recordTaskEvent).toHaveBeenCalledWith(
        'task-1',
        expect.objectContaining({ status: 3 }),
        expect.objectContaining({ create: true }),
      );
    });

    it('does not record a new live task the upstream does not know, but keeps its receipt', async () => {
      const claimAlone = jest.fn().mockResolvedValue('new');
      const callbacks = service({
        tasks: { getTask: jest.fn().mockResolvedValue(null) },
        receipts: { hold: jest.fn().mockResolvedValue('new'), claimAlone },
        zego: {
          call: jest.fn().mockRejectedValue(new ZegoError('GetDigitalHumanStreamTaskStatus', 'not_found', 'no')),
        },
      });
      expect(await callbacks.record(task(1), callbackReceipt())).toBe('unconfirmed');
      expect(claimAlone).toHaveBeenCalled();
    });

    it('asks nothing again for a retry of an event already held', async () => {
      const call = jest.fn();
      const callbacks = service({
        tasks: { getTask: jest.fn().mockResolvedValue(null) },
        receipts: { hold: jest.fn().mockResolvedValue('duplicate') },
        zego: { call },
      });
      expect(await callbacks.record(task(1), callbackReceipt())).toBe('duplicate');
      expect(call).not.toHaveBeenCalled();
    });

    it('answers 503 (ZEGO sends it again) when the upstream cannot be asked', async () => {
      const callbacks = service({
        tasks: { getTask: jest.fn().mockResolvedValue(taskRow()) },
        receipts: { hold: jest.fn().mockResolvedValue('new') },
        zego: {
          call: jest.fn().mockRejectedValue(new ZegoError('GetDigitalHumanStreamTaskStatus', 'transient', 'timeout')),
        },
      });
      await expect(callbacks.record(task(5), callbackReceipt())).rejects.toThrow(ServiceUnavailableException);
    });
  });
});
