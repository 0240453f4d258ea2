import { floorTo, toBuckets } from '../../src/drives/failure-buckets';

const at = (s: string) => Date.parse(s);

describe('failure buckets', () => {
  it('floors to UTC hours and days', () => {
    expect(new Date(floorTo('hour', at('2026-11-24T09:59:59.999Z'))).toISOString()).toBe('2026-11-24T09:00:00.000Z');
    expect(new Date(floorTo('day', at('2026-11-24T23:59:00Z'))).toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('folds hourly rows into day buckets and keeps empty buckets as zeros', () => {
    const rows = [
      { hour: new Date('2026-11-01T05:00:00Z'), failed: 1, finished: 3 },
      { hour: new Date('2026-11-01T23:00:00Z'), failed: 2, finished: 0 },
      { hour: new Date('2026-11-03T00:00:00Z'), failed: 0, finished: 7 },
    ];
    expect(toBuckets(rows, 'day', at('2026-11-01T12:00:00Z'), at('2026-11-04T00:00:00Z'))).toEqual([
      { start: '2026-11-01T00:00:00.000Z', failed: 3, finished: 3, unresolved: 0 },
      { start: '2026-11-02T00:00:00.000Z', failed: 0, finished: 0, unresolved: 0 },
      { start: '2026-11-03T00:00:00.000Z', failed: 0, finished: 7, unresolved: 0 },
    ]);
  });

  it('ignores rows outside the range', () => {
    const rows = [{ hour: new Date('2026-10-31T23:00:00Z'), failed: 9, finished: 9 }];
    expect(toBuckets(rows, 'hour', at('2026-11-01T00:00:00Z'), at('2026-11-01T02:00:00Z'))).toEqual([
      { start: '2026-11-01T00:00:00.000Z', failed: 0, finished: 0, unresolved: 0 },
      { start: '2026-11-01T01:00:00.000Z', failed: 0, finished: 0, unresolved: 0 },
    ]);
  });
});
