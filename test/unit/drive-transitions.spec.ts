import { planTransitions, StoredDrive } from '../../src/drives/drive-transitions';

const stored = (...drives: Array<[string, 1 | 2 | 3 | 4, boolean?]>) =>
  new Map<string, StoredDrive>(
    drives.map(([driveId, status, missing]) => [driveId, { driveId, status, missing: missing ?? false }]),
  );

describe('planTransitions', () => {
  it('records new drives with no previous status', () => {
    const plan = planTransitions(
      stored(),
      [
        { driveId: 'a', status: 1 },
        { driveId: 'b', status: 4 },
      ],
      true,
    );
    expect(plan.changes).toEqual([
      { driveId: 'a', from: null, to: 1 },
      { driveId: 'b', from: null, to: 4 },
    ]);
    expect(plan.countDelta).toEqual({ 1: 1, 2: 0, 3: 0, 4: 1 });
  });

  it('records a forward move and adjusts both counters', () => {
    const plan = planTransitions(stored(['a', 1]), [{ driveId: 'a', status: 2 }], true);
    expect(plan.changes).toEqual([{ driveId: 'a', from: 1, to: 2 }]);
    expect(plan.countDelta).toEqual({ 1: -1, 2: 1, 3: 0, 4: 0 });
  });

  it('writes nothing for an unchanged observation', () => {
    const plan = planTransitions(
      stored(['a', 2], ['b', 4]),
      [
        { driveId: 'a', status: 2 },
        { driveId: 'b', status: 4 },
      ],
      true,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.vanished).toEqual([]);
    expect(plan.countDelta).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0 });
  });

  it.each([
    [4, 2],
    [4, 1],
    [3, 4],
    [4, 3],
    [2, 1],
  ] as const)('never moves a drive back from %i to %i', (from, to) => {
    const plan = planTransitions(stored(['a', from]), [{ driveId: 'a', status: to }], true);
    expect(plan.changes).toEqual([]);
    expect(plan.regressions).toEqual([{ driveId: 'a', stored: from, observed: to }]);
  });

  it('collapses a drive listed twice into one change from the stored status to the furthest one', () => {
    const plan = planTransitions(
      stored(['a', 1]),
      [
        { driveId: 'a', status: 2 },
        { driveId: 'a', status: 4 },
        { driveId: 'a', status: 2 },
      ],
      true,
    );
    expect(plan.changes).toEqual([{ driveId: 'a', from: 1, to: 4 }]);
    expect(plan.countDelta).toEqual({ 1: -1, 2: 0, 3: 0, 4: 1 });
  });

  it('notices drives a complete answer no longer lists, and their return', () => {
    const plan = planTransitions(
      stored(['a', 4], ['b', 4, true], ['c', 2, true]),
      [
        { driveId: 'b', status: 4 },
        { driveId: 'c', status: 4 },
      ],
      true,
    );
    expect(plan.vanished).toEqual(['a']);
    expect(plan.reappeared).toEqual(['b']);
    expect(plan.changes).toEqual([{ driveId: 'c', from: 2, to: 4 }]);
  });

  it('does not treat an unlisted drive as vanished when the observation is partial (a callback)', () => {
    expect(planTransitions(stored(['a', 4]), [{ driveId: 'b', status: 1 }], false).vanished).toEqual([]);
  });

  it('is idempotent: applying a plan and observing again yields nothing', () => {
    const observed = [
      { driveId: 'a', status: 3 as const },
      { driveId: 'b', status: 2 as const },
    ];
    const first = planTransitions(stored(['a', 2]), observed, true);
    const after = stored(...first.changes.map((c) => [c.driveId, c.to] as [string, 1 | 2 | 3 | 4]));
    expect(planTransitions(after, observed, true).changes).toEqual([]);
  });
});
