import { BadRequestException, NotFoundException } from '@nestjs/common';
import { encodeCursor } from '../../src/common/cursor';
import type { DriveReadsRepository } from '../../src/drives/drive-reads.repository';
import { DrivesService } from '../../src/drives/drives.service';
import type { ObservationsRepository } from '../../src/drives/observations.repository';
import type { TasksRepository } from '../../src/drives/tasks.repository';
import type { PageVersions } from '../../src/drives/page-versions';
import { PageCache } from '../../src/drives/page-cache';
import { MetricsService } from '../../src/metrics/metrics.service';
import type { AppConfig } from '../../src/config/app-config';
import { driveRow, stub, taskRow } from '../support/factories';

/** The drives service on stubbed repositories: its own decisions, without a database. */
function service(parts: {
  tasks?: Partial<Record<keyof TasksRepository, unknown>>;
  reads?: Partial<Record<keyof DriveReadsRepository, unknown>>;
  observations?: Partial<Record<keyof ObservationsRepository, unknown>>;
  versions?: Partial<Record<keyof PageVersions, unknown>>;
  cache?: PageCache;
}) {
  return new DrivesService(
    stub<TasksRepository>(parts.tasks ?? {}),
    stub<DriveReadsRepository>(parts.reads ?? {}),
    stub<ObservationsRepository>(parts.observations ?? {}),
    stub<PageVersions>(parts.versions ?? {}),
    parts.cache ?? pageCache(0),
  );
}

function pageCache(mb: number, metrics = new MetricsService()): PageCache {
  return new PageCache({ PAGE_CACHE_MB: mb } as AppConfig, metrics);
}

describe('DrivesService', () => {
  describe('listDrives', () => {
    it('asks for one more than the page to know whether a next page exists, and names it by row key', async () => {
      const rows = [driveRow({ status: 3 }), driveRow({ status: 4 }), driveRow({ status: 2 })];
      const drivePage = jest.fn().mockResolvedValue({
        counts: { queued: 0, playing: 1, failed: 1, finished: 3, unresolved: 0 },
        drives: rows,
        version: { task: '1', drives: '' },
      });
      const page = await service({ reads: { drivePage } }).listDrives('task-1', ['failed', 'finished'], 2);
      expect(drivePage).toHaveBeenCalledWith('task-1', [3, 4], 3, null);
      expect(page.items.map((d) => d.status)).toEqual(['failed', 'finished']);
      expect(page.failureRate).toBe(0.25);
      expect(page.counts.total).toBe(5);
      expect(page.nextCursor).toBe(encodeCursor('drives:task-1', rows[1].id));
    });

    it('has no next page when the rows fit, and a failure rate of 0 with no ended drives', async () => {
      const drivePage = jest.fn().mockResolvedValue({
        counts: { queued: 1, playing: 0, failed: 0, finished: 0, unresolved: 0 },
        drives: [driveRow()],
        version: { task: '1', drives: '' },
      });
      const page = await service({ reads: { drivePage } }).listDrives('task-1', undefined, 2);
      expect(drivePage).toHaveBeenCalledWith('task-1', null, 3, null);
      expect(page).toMatchObject({ failureRate: 0, nextCursor: null });
    });

    it("refuses another list's cursor before reading anything", async () => {
      const foreign = encodeCursor('drives:task-2', '7');
      await expect(service({}).listDrives('task-1', undefined, 10, foreign)).rejects.toThrow(BadRequestException);
    });

    it('answers 404 for a task that is not tracked', async () => {
      const drivePage = jest.fn().mockResolvedValue(null);
      await expect(service({ reads: { drivePage } }).listDrives('nope', undefined, 10)).rejects.toThrow(
        /task nope is not tracked/,
      );
    });
  });

  describe('drivePage and the rendered-page cache', () => {
    const counts = { queued: 0, playing: 0, failed: 0, finished: 1, unresolved: 0 };
    /** A database of one task whose page versions are `v` (change them to stand for a write). */
    function database() {
      const v = { task: '1', drives: '5:100' };
      const drivePage = jest.fn(() =>
        Promise.resolve({ counts, drives: [driveRow({ id: '5', status: 4 })], version: { ...v } }),
      );
      const versions = jest.fn(() => Promise.resolve<typeof v | null>({ ...v }));
      return { v, drivePage, versions };
    }
    const results = async (metrics: MetricsService) =>
      Object.fromEntries(
        (await metrics.pageCache.get()).values.map((m) => [String(m.labels.result), m.value]),
      ) as Record<string, number>;

    it('sends a kept page again after a version check, and reads afresh once any row changed', async () => {
      const db = database();
      const metrics = new MetricsService();
      const cache = pageCache(1, metrics);
      let clock = 0;
      cache.clock = () => clock;
      const s = service({ reads: { drivePage: db.drivePage }, versions: { drivePage: db.versions }, cache });
      const first = await s.drivePage('task-1', undefined, 10);
      expect(db.versions).not.toHaveBeenCalled(); // nothing kept yet: no check, one page read
      expect(JSON.parse(first.body!.toString())).toMatchObject({ taskId: 'task-1', items: [{ statusCode: 4 }] });
      const again = await s.drivePage('task-1', undefined, 10);
      expect(again.body).toBe(first.body); // the same bytes
      expect(again.etag).toBe(first.etag);
      expect(db.drivePage).toHaveBeenCalledTimes(1);
      expect(db.versions).toHaveBeenCalledTimes(1);

      db.v.drives = '5:101'; // the drive row was written
      const changed = await s.drivePage('task-1', undefined, 10);
      expect(changed.etag).not.toBe(first.etag);
      expect(JSON.parse(changed.body!.toString())).toMatchObject({ items: [{ statusCode: 4 }] });
      expect(db.versions).toHaveBeenCalledTimes(2);
      expect(db.drivePage).toHaveBeenCalledTimes(2);
      // Found stale: for the next 10 ms reads go straight to the page, without a check.
      clock += 9;
      db.v.drives = '5:102';
      const next = await s.drivePage('task-1', undefined, 10);
      expect(next.etag).not.toBe(changed.etag);
      expect(db.versions).toHaveBeenCalledTimes(2);
      expect(db.drivePage).toHaveBeenCalledTimes(3);
      clock += 1; // then checks again, and the page kept by the last read is still the page
      expect((await s.drivePage('task-1', undefined, 10)).body).toBe(next.body);
      expect(db.versions).toHaveBeenCalledTimes(3);
      expect(db.drivePage).toHaveBeenCalledTimes(3);
      expect(await results(metrics)).toEqual({ miss: 1, hit: 2, stale: 1, skipped: 1 });
    });

    it('pauses the checks of a page that keeps changing: 10 ms, doubling to at most a second', async () => {
      const db = database();
      const cache = pageCache(1);
      let clock = 0;
      cache.clock = () => clock;
      const s = service({ reads: { drivePage: db.drivePage }, versions: { drivePage: db.versions }, cache });
      await s.drivePage('task-1', undefined, 10);
      // Changed before every read, one read a millisecond: when do the checks happen?
      const checkedAt: number[] = [];
      for (let read = 1; read <= 4000; read++) {
        clock += 1;
        db.v.drives = `5:${100 + read}`;
        const checks = db.versions.mock.calls.length;
        await s.drivePage('task-1', undefined, 10);
        if (db.versions.mock.calls.length > checks) checkedAt.push(clock);
      }
      const pauses = checkedAt.slice(1).map((t, i) => t - checkedAt[i]);
      expect(pauses.slice(0, 9)).toEqual([10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
      expect(db.drivePage).toHaveBeenCalledTimes(4001); // every read found the page it had to
      // A check that finds the page unchanged ends the pauses.
      const checks = db.versions.mock.calls.length;
      clock += 1000;
      await s.drivePage('task-1', undefined, 10);
      clock += 1;
      await s.drivePage('task-1', undefined, 10);
      expect(db.versions).toHaveBeenCalledTimes(checks + 2);
    });

    it('keeps each shape of page apart, and answers 304 from the check alone', async () => {
      const db = database();
      const s = service({
        reads: { drivePage: db.drivePage },
        versions: { drivePage: db.versions },
        cache: pageCache(1),
      });
      const all = await s.drivePage('task-1', undefined, 10);
      await s.drivePage('task-1', ['finished'], 10);
      await s.drivePage('task-1', undefined, 20);
      expect(db.drivePage).toHaveBeenCalledTimes(3);
      const conditional = await s.drivePage('task-1', undefined, 10, undefined, all.etag);
      expect(conditional).toEqual({ etag: all.etag, body: null });
      expect(db.drivePage).toHaveBeenCalledTimes(3);
    });

    it('with PAGE_CACHE_MB=0 reads every page and never checks', async () => {
      const db = database();
      const s = service({ reads: { drivePage: db.drivePage }, versions: { drivePage: db.versions } });
      await s.drivePage('task-1', undefined, 10);
      await s.drivePage('task-1', undefined, 10);
      expect(db.drivePage).toHaveBeenCalledTimes(2);
      expect(db.versions).not.toHaveBeenCalled();
    });

    it('answers 404 when the task went away while its page was kept', async () => {
      const db = database();
      const s = service({
        reads: { drivePage: db.drivePage },
        versions: { drivePage: db.versions },
        cache: pageCache(1),
      });
      await s.drivePage('task-1', undefined, 10);
      db.versions.mockResolvedValueOnce(null);
      await expect(s.drivePage('task-1', undefined, 10)).rejects.toThrow(NotFoundException);
    });
  });

  describe('a drive view', () => {
    it('derives durations from the stored times and marks unresolved drives', async () => {
      const getDrive = jest.fn().mockResolvedValue({
        ...driveRow({
          status: 4,
          queuedAt: '2026-11-30T08:00:00.000Z',
          playingAt: '2026-11-30T08:00:01.500Z',
          endedAt: '2026-11-30T08:00:04.000Z',
        }),
        history: [{ status: 4, previousStatus: 2, observedAt: '2026-11-30T08:00:04.000Z', source: 'callback' }],
      });
      const drive = await service({ reads: { getDrive } }).getDrive('task-1', 'd');
      expect(drive).toMatchObject({ status: 'finished', queueWaitMs: 1500, playMs: 2500, resolution: null });
      expect(drive.history).toEqual([
        {
          status: 'finished',
          statusCode: 4,
          previousStatus: 'playing',
          observedAt: '2026-11-30T08:00:04.000Z',
          source: 'callback',
        },
      ]);

      getDrive.mockResolvedValue({ ...driveRow({ status: 2, unresolvedAt: '2026-11-30T09:00:00.000Z' }), history: [] });
      expect(await service({ reads: { getDrive } }).getDrive('task-1', 'd')).toMatchObject({
        status: 'playing',
        resolution: 'unresolved',
        playMs: null,
      });
    });

    it('tells an unknown drive of a known task from an unknown task', async () => {
      const getDrive = jest.fn().mockResolvedValue(null);
      const known = service({ reads: { getDrive }, tasks: { readTask: jest.fn().mockResolvedValue(taskRow()) } });
      await expect(known.getDrive('task-1', 'd9')).rejects.toThrow(/drive d9 of task task-1 is not known/);
      const unknown = service({ reads: { getDrive }, tasks: { readTask: jest.fn().mockResolvedValue(null) } });
      await expect(unknown.getDrive('task-9', 'd9')).rejects.toThrow(NotFoundException);
      await expect(unknown.getDrive('task-9', 'd9')).rejects.toThrow(/task task-9 is not tracked/);
    });
  });

  describe('registerDrive', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');

    it('refuses a submittedAt outside the last 24 hours without writing', async () => {
      const applyObservation = jest.fn();
      const drives = service({ observations: { applyObservation } });
      for (const submittedAt of ['2026-11-29T09:59:00Z', '2026-11-30T10:02:00Z']) {
        await expect(drives.registerDrive('task-1', { driveId: 'd1', submittedAt }, now)).rejects.toThrow(
          /submittedAt must be within the last 24 hours/,
        );
      }
      expect(applyObservation).not.toHaveBeenCalled();
    });

    it('records the drive as queued at submittedAt from the producer, and says whether it was new', async () => {
      const applyObservation = jest
        .fn()
        .mockResolvedValueOnce({ plan: { changes: [{ driveId: 'd1', from: null }] } })
        .mockResolvedValueOnce({ plan: { changes: [] } });
      const getDrive = jest.fn().mockResolvedValue(driveRow({ driveId: 'd1' }));
      const drives = service({ observations: { applyObservation }, reads: { getDrive } });
      const body = { driveId: 'd1', type: 'audio' as const, submittedAt: '2026-11-30T09:59:00Z' };
      expect((await drives.registerDrive('task-1', body, now)).created).toBe(true);
      expect((await drives.registerDrive('task-1', body, now)).created).toBe(false);
      expect(applyObservation).toHaveBeenCalledWith('task-1', [{ driveId: 'd1', status: 1 }], {
        at: new Date('2026-11-30T09:59:00Z'),
        source: 'producer',
        complete: false,
        ensureTask: 'producer',
        registration: { driveId: 'd1', type: 'audio', requestId: null, submittedAt: new Date('2026-11-30T09:59:00Z') },
      });
      // Read back from the primary: a replica may not have the drive yet.
      expect(getDrive).toHaveBeenCalledWith('task-1', 'd1', true);
    });
  });

  it('tracking says created only when tracking starts', async () => {
    const trackTask = jest
      .fn()
      .mockResolvedValueOnce({ task: taskRow(), wasTracking: null })
      .mockResolvedValueOnce({ task: taskRow(), wasTracking: true })
      .mockResolvedValueOnce({ task: taskRow(), wasTracking: false });
    const drives = service({ tasks: { trackTask } });
    expect((await drives.track('task-1')).created).toBe(true);
    expect((await drives.track('task-1')).created).toBe(false);
    expect((await drives.track('task-1')).created).toBe(true);
  });
});
