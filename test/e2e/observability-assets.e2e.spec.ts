import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { OutcomesRepository } from '../../src/drives/outcomes.repository';
import { driveCallback } from '../support/callbacks';
import { eventually, Harness, startHarness } from '../support/harness';

const root = join(__dirname, '..', '..');
const CALLBACK_SECRET = 'assets-callback-secret-0123';

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set(
  (
    'sum min max avg count stddev stdvar topk bottomk quantile count_values group by without on ignoring ' +
    'group_left group_right and or unless offset bool rate irate increase delta idelta deriv histogram_quantile ' +
    'abs absent absent_over_time ceil floor round clamp_min clamp_max label_replace label_join vector scalar time ' +
    'sum_over_time avg_over_time max_over_time min_over_time humanize inf nan'
  ).split(' '),
);

/** The metric names a PromQL expression reads (label matchers, strings, ranges and grouping removed). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const words = bare.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? [];
  return [...new Set(words.filter((w) => !PROMQL_WORDS.has(w.toLowerCase())))];
}

type Panel = { type: string; title: string; targets?: Array<{ expr: string }>; panels?: Panel[] };

const dashboard = JSON.parse(readFileSync(join(root, 'deploy', 'grafana', 'drive-status.json'), 'utf8')) as {
  panels: Panel[];
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
const rules = parse(readFileSync(join(root, 'deploy', 'prometheus', 'drive-status.rules.yml'), 'utf8')) as {
  groups: Array<{ rules: Array<{ record?: string; alert?: string; expr: string }> }>;
};
const allRules = rules.groups.flatMap((g) => g.rules);
const recorded = new Set(allRules.flatMap((r) => (r.record ? [r.record] : [])));

/** Every metric family a live /metrics exposes, with the series names a histogram or summary adds. */
function exposed(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}

/** Prometheus' own series, not the service's. */
const FROM_PROMETHEUS = new Set(['up']);

describe('the Grafana dashboard and the Prometheus rules read metrics the service exposes', () => {
  let h: Harness;
  let live: Set<string>;
  beforeAll(async () => {
    h = await startHarness({ env: { ZEGO_CALLBACK_SECRET: CALLBACK_SECRET, RATE_LIMIT_PER_MINUTE: '0' } });
    live = exposed(String((await h.request('GET', '/metrics')).body));
  });
  afterAll(() => h.close());

  it('finds the names in PromQL', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (le) (rate(a_bucket{job="$job", x=~"y"}[$__rate_interval]))) / b:c'),
    ).toEqual(['a_bucket', 'b:c']);
  });

  it('the dashboard: 6+ panels, each metric live (or a recording rule of deploy/prometheus)', () => {
    expect(panels.length).toBeGreaterThanOrEqual(6);
    const used = new Set<string>();
    for (const panel of panels) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const t of panel.targets!) for (const name of metricNames(t.expr)) used.add(name);
    }
    const missing = [...used].filter((n) => !(n.includes(':') ? recorded.has(n) : live.has(n)));
    expect(missing).toEqual([]);
    // What an operator looks for first is there.
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'drive_status_callbacks_total',
      'zego_upstream_calls_total',
      'zego_rate_limiter_wait_seconds_bucket',
      'drive_status_drives_ended_total',
      'drive_status_sync_lag_seconds',
      'drive_status_webhook_outbox_backlog',
      'drive_status_webhook_deliveries_total',
      'process_resident_memory_bytes',
    ])
      expect(used).toContain(name);
  });

  it('the rules: each metric live, each recording rule read after it in its own group', () => {
    const missing = allRules
      .flatMap((r) => metricNames(r.expr))
      .filter((n) => !FROM_PROMETHEUS.has(n) && !(n.includes(':') ? recorded.has(n) : live.has(n)));
    expect(missing).toEqual([]);
    // Groups are evaluated independently (in no set order); the rules of one group in order. A rule
    // reading another group's record would see it one evaluation late, or early, at random.
    const outOfOrder: string[] = [];
    for (const group of rules.groups) {
      const before = new Set<string>();
      for (const rule of group.rules) {
        for (const n of metricNames(rule.expr)) if (n.includes(':') && !before.has(n)) outOfOrder.push(n);
        if (rule.record) before.add(rule.record);
      }
    }
    expect(outOfOrder).toEqual([]);
  });

  it('drive_status_drives_ended_total counts each drive end once, after it is written', async () => {
    const ended = async () => {
      const text = String((await h.request('GET', '/metrics')).body);
      const value = (outcome: string) =>
        Number(new RegExp(`^drive_status_drives_ended_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1]);
      return { finished: value('finished'), failed: value('failed'), unresolved: value('unresolved') };
    };
    expect(await ended()).toEqual({ finished: 0, failed: 0, unresolved: 0 });

    // Polled drives: the counter agrees with the database once every drive has ended.
    const task = h.simulator.engine.createTask();
    for (let i = 0; i < 6; i++) h.simulator.engine.drive(task.taskId, 'text');
    await h.request('PUT', `/tasks/${task.taskId}`);
    const stored = await eventually(async () => {
      const [row] = await h.db.query<{ failed: number; finished: number; active: number }>(
        `SELECT count(*) FILTER (WHERE status = 3)::int AS failed, count(*) FILTER (WHERE status = 4)::int AS finished,
                count(*) FILTER (WHERE status IN (1, 2))::int AS active FROM drive WHERE task_id = $1`,
        [task.taskId],
      );
      return row.active === 0 && row.failed + row.finished === 6 && row;
    });
    await eventually(async () => (await ended()).finished + (await ended()).failed === 6);
    expect(await ended()).toEqual({ finished: stored.finished, failed: stored.failed, unresolved: 0 });

    // A callback repeating an end already recorded: nothing more.
    const [done] = await h.db.query<{ drive_id: string; status: number }>(
      `SELECT drive_id, status::int AS status FROM drive WHERE task_id = $1 LIMIT 1`,
      [task.taskId],
    );
    const again = await h.request('POST', '/callbacks/zego', {
      body: driveCallback(CALLBACK_SECRET, task.taskId, done.drive_id, done.status),
    });
    expect(again.status).toBe(200);
    expect(await ended()).toEqual({ finished: stored.finished, failed: stored.failed, unresolved: 0 });

    // A registered drive without news is marked unresolved (counted); its late end is not counted again.
    const registered = await h.request('POST', `/tasks/${task.taskId}/drives`, { body: { driveId: 'late-drive' } });
    expect(registered.status).toBe(201);
    const marked = await h.app.get(OutcomesRepository).markUnresolved(new Date(), new Date(Date.now() + 3600_000));
    expect(marked).toBe(1);
    expect(await ended()).toEqual({ finished: stored.finished, failed: stored.failed, unresolved: 1 });
    const late = await h.request('POST', '/callbacks/zego', {
      body: driveCallback(CALLBACK_SECRET, task.taskId, 'late-drive', 4),
    });
    expect(late.status).toBe(200);
    const [lateRow] = await h.db.query<{ status: number }>(
      `SELECT status::int AS status FROM drive WHERE task_id = $1 AND drive_id = 'late-drive'`,
      [task.taskId],
    );
    expect(lateRow.status).toBe(4);
    expect(await ended()).toEqual({ finished: stored.finished, failed: stored.failed, unresolved: 1 });
  });
});
