import { randomUUID } from 'node:crypto';
import { ObservationsRepository } from '../../src/drives/observations.repository';
import { OutcomesRepository } from '../../src/drives/outcomes.repository';
import { TasksRepository } from '../../src/drives/tasks.repository';
import { Harness, startHarness } from '../support/harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Status = 1 | 2 | 3 | 4;

/**
 * SLOs over HTTP: validation, paging, 404s and 409s; SLI, error budget, burn rates and history
 * against values worked out by hand from drives written at known times through the repositories.
 */
describe('SLOs', () => {
  let h: Harness;
  // Every drive's time is relative to this; the test runs well within the minutes that separate them.
  const T = Date.now();
  const observations = () => h.app.get(ObservationsRepository);
  const end = async (taskId: string, drive: string, status: Status, at: number) => {
    for (const [s, t] of [
      [2, at - 20_000],
      [status, at],
    ] as Array<[Status, number]>)
      await observations().applyObservation(taskId, [{ driveId: drive, status: s }], {
        at: new Date(t),
        source: 'callback',
        complete: false,
      });
  };
  const api = (method: string, path: string, body?: unknown) => h.request(method, path, { body });
  const create = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/slos', body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };

  // slo-a: ends at known distances from T, and one drive left playing that is marked unresolved.
  const seeded: Array<{ status: 'good' | 'bad'; at: number }> = [];
  beforeAll(async () => {
    h = await startHarness({ env: { SYNC_ENABLED: 'false', SLOS_MAX: '8' } });
    for (const t of [T - 11 * DAY, T - 2 * DAY, T])
      await h.db.query('SELECT ensure_history_partition($1)', [new Date(t)]);
    const tasks = h.app.get(TasksRepository);
    for (const t of ['slo-a', 'slo-edge']) await tasks.trackTask(t, 'manual');
    const ends: Array<[string, Status, number]> = [
      ['g1', 4, T - 2 * MINUTE],
      ['b1', 3, T - 20 * MINUTE],
      ['g2', 4, T - 3 * HOUR],
      ['g3', 4, T - 3 * HOUR],
      ...[4, 5, 6, 7, 8, 9].map((i): [string, Status, number] => [`g${i}`, 4, T - 2 * DAY]),
      ['b2', 3, T - 2 * DAY],
      ['b3', 3, T - 10 * DAY],
    ];
    for (const [drive, status, at] of ends) {
      await end('slo-a', drive, status, at);
      seeded.push({ status: status === 4 ? 'good' : 'bad', at });
    }
    await observations().applyObservation('slo-a', [{ driveId: 'u1', status: 2 }], {
      at: new Date(T - 40 * MINUTE),
      source: 'callback',
      complete: false,
    });
    const markedAt = Date.now();
    expect(await h.app.get(OutcomesRepository).markUnresolved(new Date(markedAt), new Date(T - 30 * MINUTE))).toBe(1);
    seeded.push({ status: 'bad', at: markedAt });
    // slo-edge: one drive 5 minutes inside a 1-day window, one 5 minutes before it.
    await end('slo-edge', 'in', 4, T - DAY + 5 * MINUTE);
    await end('slo-edge', 'out', 3, T - DAY - 5 * MINUTE);
  });
  afterAll(() => h.close());

  it('refuses bad input with messages that name the field', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ objective: 99 }, /name must be text/],
      [{ name: '', objective: 99 }, /name must not be empty/],
      [{ name: 'x'.repeat(201), objective: 99 }, /name must be at most 200 characters/],
      [{ name: 'x' }, /objective must be a percentage above 50 and below 100/],
      [{ name: 'x', objective: 50 }, /objective must be a percentage above 50 and below 100/],
      [{ name: 'x', objective: 100 }, /objective must be a percentage above 50 and below 100/],
      [{ name: 'x', objective: '99' }, /objective must be a percentage/],
      [{ name: 'x', objective: 99, windowDays: 0 }, /windowDays must be a whole number of days from 1 to 90/],
      [{ name: 'x', objective: 99, windowDays: 91 }, /windowDays must be a whole number of days from 1 to 90/],
      [{ name: 'x', objective: 99, windowDays: 1.5 }, /windowDays must be a whole number/],
      [{ name: 'x', objective: 99, type: 'video' }, /type must be one of text, audio, ws, rtc/],
      [{ name: 'x', objective: 99, taskId: 'a b' }, /taskId must be 1-128 characters/],
      [{ name: 'x', objective: 99, taskId: 'slo-a', type: 'rtc' }, /taskId and type cannot both be set/],
      [{ name: 'x', objective: 99, color: 'red' }, /color/],
    ];
    for (const [body, message] of cases) {
      const res = await api('POST', '/slos', body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.message).toMatch(message);
    }
    expect((await api('GET', '/slos/not-a-uuid')).body.message).toMatch(/id must be an SLO id \(a UUID\)/);
    const missing = randomUUID();
    for (const [method, path] of [
      ['GET', `/slos/${missing}`],
      ['GET', `/slos/${missing}/history`],
      ['DELETE', `/slos/${missing}`],
    ]) {
      const res = await api(method, path);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`SLO ${missing} does not exist`);
    }
    const slo = await create({ name: 'interval check', objective: 99 });
    const week = await api('GET', `/slos/${slo.id}/history?interval=week`);
    expect(week.status).toBe(400);
    expect(week.body.message).toMatch(/interval must be day or hour/);
    expect((await api('DELETE', `/slos/${slo.id}`)).status).toBe(204);
  });

  it('answers the SLI, budget and burn rates worked out by hand, overspent budget included', async () => {
    const slo = await create({ name: 'slo-a drives finish', objective: 99, taskId: 'slo-a' });
    const res = await api('GET', `/slos/${slo.id}`);
    expect(res.status).toBe(200);
    // 28 days: good g1-g9 = 9; bad b1, b2, b3 and the unresolved u1 = 4; total 13.
    expect(res.body).toMatchObject({ name: 'slo-a drives finish', objective: 99, windowDays: 28, taskId: 'slo-a' });
    expect(res.body.type).toBeNull();
    expect(res.body.sli).toEqual({ good: 9, bad: 4, total: 13, ratio: 9 / 13 });
    // allowed 13 × 0.01 = 0.13; consumed 4 / 0.13 = 30.769...; remaining -29.769...
    expect(res.body.errorBudget.allowedBad).toBeCloseTo(0.13, 10);
    expect(res.body.errorBudget.consumedFraction).toBeCloseTo(30.769230769, 6);
    expect(res.body.errorBudget.remainingFraction).toBeCloseTo(-29.769230769, 6);
    // 5m: g1, u1 → 0.5 / 0.01 = 50; 30m and 1h: g1, b1, u1 → (2/3) / 0.01; 6h and 1d: + g2, g3 →
    // 0.4 / 0.01 = 40; 3d: + g4-g9, b2 → 0.25 / 0.01 = 25.
    const b = res.body.burnRates;
    expect(Object.keys(b)).toEqual(['5m', '30m', '1h', '6h', '1d', '3d']);
    expect(b['5m']).toBeCloseTo(50, 8);
    expect(b['30m']).toBeCloseTo(66.666666667, 6);
    expect(b['1h']).toBeCloseTo(66.666666667, 6);
    expect(b['6h']).toBeCloseTo(40, 8);
    expect(b['1d']).toBeCloseTo(40, 8);
    expect(b['3d']).toBeCloseTo(25, 8);

    // 7 days leave b3 out: 9 good, 3 bad.
    const week = await create({ name: 'week', objective: 99.5, windowDays: 7, taskId: 'slo-a' });
    expect((await api('GET', `/slos/${week.id}`)).body.sli).toEqual({ good: 9, bad: 3, total: 12, ratio: 0.75 });
  });

  it('answers ratio 1, the whole budget and burn 0 with no drives', async () => {
    const slo = await create({ name: 'no rtc yet', objective: 99.9, type: 'rtc' });
    const res = await api('GET', `/slos/${slo.id}`);
    expect(res.body).toMatchObject({
      type: 'rtc',
      taskId: null,
      sli: { good: 0, bad: 0, total: 0, ratio: 1 },
      errorBudget: { allowedBad: 0, consumedFraction: 0, remainingFraction: 1 },
      burnRates: { '5m': 0, '30m': 0, '1h': 0, '6h': 0, '1d': 0, '3d': 0 },
    });
  });

  it('counts the window to the minute at its far edge, and every task when no task is named', async () => {
    // A drive 5 minutes inside a 1-day window counts, one 5 minutes outside does not, wherever the
    // hour boundaries fall (whole hours alone would take both or neither most of the time).
    const edge = await create({ name: 'edge', objective: 90, windowDays: 1, taskId: 'slo-edge' });
    expect((await api('GET', `/slos/${edge.id}`)).body.sli).toEqual({ good: 1, bad: 0, total: 1, ratio: 1 });
    // Every task over 28 days: slo-a's 9 + 4 and slo-edge's 1 + 1.
    const all = await create({ name: 'everything', objective: 95 });
    expect((await api('GET', `/slos/${all.id}`)).body.sli).toEqual({ good: 10, bad: 5, total: 15, ratio: 10 / 15 });
  });

  it('gives the budget left at the end of each day, each over the whole window before it', async () => {
    const slo = await create({ name: 'history', objective: 90, windowDays: 14, taskId: 'slo-a' });
    const res = await api('GET', `/slos/${slo.id}/history`);
    expect(res.status).toBe(200);
    expect(res.body.interval).toBe('day');
    expect(res.body.buckets).toHaveLength(14);
    const ends = res.body.buckets.map((b: { end: string }) => Date.parse(b.end));
    // The newest ends with the current hour; the others at UTC midnights, a day apart.
    expect(ends[13]).toBe(Math.floor(Date.now() / HOUR) * HOUR + HOUR);
    for (const e of ends.slice(0, 13)) expect(e % DAY).toBe(0);
    for (const [i, bucket] of res.body.buckets.entries()) {
      // Hour resolution: a drive counts in the window of every end after the start of its hour.
      const inWindow = seeded.filter((d) => {
        const hour = Math.floor(d.at / HOUR) * HOUR;
        return hour >= ends[i] - 14 * DAY && hour < ends[i];
      });
      const good = inWindow.filter((d) => d.status === 'good').length;
      const bad = inWindow.length - good;
      const remaining = good + bad ? 1 - bad / ((good + bad) * 0.1) : 1;
      expect({ end: bucket.end, good: bucket.good, bad: bucket.bad }).toEqual({ end: bucket.end, good, bad });
      expect(bucket.remainingFraction).toBeCloseTo(remaining, 8);
    }
    // Before b3 (10 days back) nothing; at the end: 9 good, 4 bad, 1 − 4 / 1.3 = -2.0769...
    expect(res.body.buckets[0]).toMatchObject({ good: 0, bad: 0, remainingFraction: 1 });
    expect(res.body.buckets[13]).toMatchObject({ good: 9, bad: 4 });
    expect(res.body.buckets[13].remainingFraction).toBeCloseTo(-2.076923077, 6);
    const hours = await api('GET', `/slos/${slo.id}/history?interval=hour`);
    expect(hours.body.buckets).toHaveLength(48);
    expect(hours.body.buckets[47]).toMatchObject({ good: 9, bad: 4 });
  });

  it('pages oldest first with a cursor, and caps how many SLOs exist', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('GET', `/slos?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = (await api('GET', '/slos?limit=500')).body.items.map((s: { id: string }) => s.id);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(2);
    expect((await api('GET', '/slos?cursor=bm9wZQ')).body.message).toMatch(/cursor is not one this list gave out/);
    expect((await api('GET', '/slos?limit=501')).status).toBe(400);
    // SLOS_MAX is 8 here.
    while ((await api('GET', '/slos?limit=500')).body.items.length < 8) await create({ name: 'fill', objective: 99 });
    const over = await api('POST', '/slos', { name: 'one too many', objective: 99 });
    expect(over.status).toBe(409);
    expect(over.body.message).toMatch(/at most 8 SLOs may exist \(SLOS_MAX\)/);
  });

  it('refuses to delete an SLO that alert rules watch, naming them, and deletes it once they are gone', async () => {
    const { items } = (await api('GET', '/slos?limit=500')).body;
    const slo = items[items.length - 1];
    const missingSlo = await api('POST', '/alert-rules', { kind: 'slo_burn', sloId: randomUUID() });
    expect(missingSlo.status).toBe(400);
    expect(missingSlo.body.message).toMatch(/sloId: no SLO/);
    const noSlo = await api('POST', '/alert-rules', { kind: 'slo_burn' });
    expect(noSlo.body.message).toMatch(/sloId is required for slo_burn rules/);
    const foreign = await api('POST', '/alert-rules', { kind: 'upstream', sloId: slo.id });
    expect(foreign.body.message).toMatch(/sloId does not apply to upstream rules/);
    const rule = await api('POST', '/alert-rules', { kind: 'slo_burn', sloId: slo.id });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ kind: 'slo_burn', sloId: slo.id, taskId: null });
    const refused = await api('DELETE', `/slos/${slo.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      `SLO ${slo.id} is watched by alert rule(s) ${rule.body.id}; delete those rules first`,
    );
    expect((await api('GET', `/slos/${slo.id}`)).status).toBe(200);
    expect((await api('DELETE', `/alert-rules/${rule.body.id}`)).status).toBe(204);
    expect((await api('DELETE', `/slos/${slo.id}`)).status).toBe(204);
    expect((await api('GET', `/slos/${slo.id}`)).status).toBe(404);
  });
});
