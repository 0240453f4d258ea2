import fc from 'fast-check';
import { BatchDrive, planBatch } from '../../src/drives/observation-batch';
import { planTransitions } from '../../src/drives/drive-transitions';
import { DriveStatusCode } from '../../src/zego/zego.types';

const T = Date.parse('2026-11-29T10:00:00Z');
const drive = (
  taskId: string,
  driveId: string,
  status: DriveStatusCode,
  extra: Partial<BatchDrive> = {},
): BatchDrive => ({
  taskId,
  driveId,
  status,
  missing: false,
  unresolved: false,
  driveType: null,
  queuedAt: null,
  playingAt: null,
  endedAt: null,
  ...extra,
});

describe('a batch of events', () => {
  it('is planned as its events one after another: one saved row per drive, every change in history', () => {
    const batch = planBatch(
      [drive('t1', 'old', 2, { unresolved: true, driveType: 'audio', playingAt: T - 5000 })],
      [
        { taskId: 't1', observed: [{ driveId: 'd', status: 1 }], at: T, source: 'callback' },
        { taskId: 't2', observed: [{ driveId: 'x', status: 4 }], at: T + 10, source: 'client' },
        { taskId: 't1', observed: [{ driveId: 'd', status: 2 }], at: T + 400, source: 'producer' },
        { taskId: 't1', observed: [{ driveId: 'd', status: 2 }], at: T + 900, source: 'callback' }, // a repeat: nothing
        { taskId: 't1', observed: [{ driveId: 'old', status: 3 }], at: T + 1000, source: 'client' },
        { taskId: 't1', observed: [{ driveId: 'd', status: 1 }], at: T - 100, source: 'callback' }, // late, earlier: retimes only
      ],
    );
    expect(batch.saved).toEqual([
      {
        taskId: 't1',
        driveId: 'd',
        status: 2,
        firstAt: T,
        changedAt: T + 400,
        timings: { queuedAt: T - 100, playingAt: T + 400, endedAt: null },
      },
      {
        taskId: 't2',
        driveId: 'x',
        status: 4,
        firstAt: T + 10,
        changedAt: T + 10,
        timings: { queuedAt: null, playingAt: null, endedAt: T + 10 },
      },
      {
        taskId: 't1',
        driveId: 'old',
        status: 3,
        firstAt: T + 1000,
        changedAt: T + 1000,
        timings: { queuedAt: null, playingAt: T - 5000, endedAt: T + 1000 },
      },
    ]);
    // Each change keeps its own event's source.
    expect(batch.history.map((h) => h.source)).toEqual(['callback', 'client', 'producer', 'client']);
    expect(batch.history.map((h) => [h.driveId, h.from, h.to, h.at - T])).toEqual([
      ['d', null, 1, 0],
      ['x', null, 4, 10],
      ['d', 1, 2, 400],
      ['old', 2, 3, 1000],
    ]);
    expect(batch.counters.get('t1')).toEqual({ 1: 0, 2: 0, 3: 1, 4: 0, resolved: 1 });
    expect(batch.counters.get('t2')).toEqual({ 1: 0, 2: 0, 3: 0, 4: 1, resolved: 0 });
    expect(batch.typed).toEqual([{ type: 'audio', minute: T, status: 3 }]);
    expect(batch.outcomes).toEqual([
      { taskId: 't2', minute: T, failed: 0, finished: 1 },
      { taskId: 't1', minute: T, failed: 1, finished: 0 },
    ]);
    // For the drive-end metric: x finished; old, already marked unresolved (and counted then), is not counted again.
    expect(batch.ended).toEqual({ failed: 0, finished: 1 });
    // Queue wait of d: counted at 400 ms, then moved to 500 ms by the late queued report.
    const waits = batch.durations.filter((d) => d.metric === 1).map((d) => d.drives);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(1);
    expect(batch.plans.map((p) => p.changes.length)).toEqual([1, 1, 1, 0, 1, 0]);
    expect(batch.touched).toEqual([]);
  });

  it('clears a vanished drive listed again, and carries new timings of unchanged drives', () => {
    const batch = planBatch(
      [drive('t', 'gone', 2, { missing: true, playingAt: T })],
      [{ taskId: 't', observed: [{ driveId: 'gone', status: 2 }], at: T - 50, source: 'callback' }],
    );
    expect(batch.saved).toEqual([]);
    expect(batch.touched).toEqual([
      {
        taskId: 't',
        driveId: 'gone',
        timings: { queuedAt: null, playingAt: T - 50, endedAt: null },
        reappearedAt: T - 50,
      },
    ]);
  });

  it('ends with the statuses that writing the events alone, in order, would leave', () => {
    const status = fc.constantFrom<DriveStatusCode>(1, 2, 3, 4);
    const event = fc.record({
      taskId: fc.constantFrom('a', 'b'),
      driveId: fc.constantFrom('d1', 'd2', 'd3'),
      status,
      at: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        const batch = planBatch(
          [],
          events.map((e) => ({
            taskId: e.taskId,
            observed: [{ driveId: e.driveId, status: e.status }],
            at: T + e.at,
            source: 'callback',
          })),
        );
        // One at a time, the single write's rules.
        const alone = new Map<string, { driveId: string; status: DriveStatusCode; missing: boolean }>();
        let changes = 0;
        for (const e of events) {
          const k = `${e.taskId}/${e.driveId}`;
          const stored = new Map(alone.has(k) ? [[e.driveId, alone.get(k)!]] : []);
          const plan = planTransitions(stored, [{ driveId: e.driveId, status: e.status }], false);
          for (const c of plan.changes) alone.set(k, { driveId: c.driveId, status: c.to, missing: false });
          changes += plan.changes.length;
        }
        expect(new Map(batch.saved.map((s) => [`${s.taskId}/${s.driveId}`, s.status]))).toEqual(
          new Map([...alone].map(([k, d]) => [k, d.status])),
        );
        expect(batch.history.length).toBe(changes);
      }),
      { numRuns: 300 },
    );
  });
});
