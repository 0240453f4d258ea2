import { driveCallback } from '../support/callbacks';
import { Harness, startHarness } from '../support/harness';

jest.setTimeout(120_000);
const CALLBACK_SECRET = 'flood-callback-secret-0a1b2c3d';
const SLOTS = 3;

/**
 * A year of hourly aggregates for 60 tasks, and a flood of year-long reports: at most
 * REPORT_CONCURRENCY of them hold a connection at once, the rest wait briefly or get 503 with
 * Retry-After, and callbacks keep being acknowledged and recorded meanwhile.
 */
describe('reports flooded on a large database', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        SYNC_ENABLED: 'false',
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        REPORT_CONCURRENCY: String(SLOTS),
        RATE_LIMIT_PER_MINUTE: '0',
      },
    });
    await h.db.query(`INSERT INTO task (task_id) SELECT 'flood-' || i FROM generate_series(1, 60) i`);
    await h.db.query(`
      INSERT INTO drive_outcome_hourly (task_id, hour, failed, finished)
      SELECT 'flood-' || t, date_trunc('hour', now()) - make_interval(hours => hr), (hr * t) % 7, (hr + t) % 11
        FROM generate_series(1, 60) t, generate_series(0, 8783) hr`);
    await h.db.query(`
      INSERT INTO drive_outcome_hourly_shard (hour, shard, failed, finished)
      SELECT date_trunc('hour', now()) - make_interval(hours => hr), s, (hr * s) % 5, (hr + s) % 9
        FROM generate_series(0, 15) s, generate_series(0, 8783) hr`);
    await h.db.query('ANALYZE');
  });
  afterAll(() => h.close());

  it('keeps reports within their slots while callbacks are acknowledged', async () => {
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString();
    const to = new Date().toISOString();
    const routes = [
      `/reports/failures?from=${from}&to=${to}&interval=hour`,
      `/reports/tasks?from=${from}&to=${to}&sort=failureRate&limit=500`,
      `/reports/failures?from=${from}&to=${to}&interval=day&format=csv`,
    ];
    // Watch how many report queries run at once in the database.
    let watching = true;
    let most = 0;
    const watcher = (async () => {
      while (watching) {
        const [{ n }] = await h.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
              AND backend_type = 'client backend'
              AND query ILIKE '%drive_outcome_hourly%' AND query NOT ILIKE '%insert%' AND query NOT ILIKE '%update%'`,
        );
        most = Math.max(most, n);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const reports = Array.from({ length: 150 }, (_, i) => h.request('GET', routes[i % routes.length]));
    const callbacks: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await h.request('POST', '/callbacks/zego', {
        body: driveCallback(CALLBACK_SECRET, 'flood-1', `flood-drive-${i}`, 3, Date.now(), { nonce: `flood-${i}` }),
      });
      callbacks.push(res.status);
    }
    const answers = await Promise.all(reports);
    watching = false;
    await watcher;

    expect(callbacks).toEqual(Array(30).fill(200));
    const [{ n }] = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM drive WHERE task_id = 'flood-1'`);
    expect(n).toBe(30);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    const busy = answers.filter((a) => a.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((a) => a.headers.get('retry-after') === '2' && /too many reports/.test(a.body.message))).toBe(
      true,
    );
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(SLOTS);
  });
});
