import type { SimulatorStats } from '../../src/simulator/simulator.server';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from './harness';

/** The variables every process-level test gives the service: its database and the simulator. */
export function serviceEnv(
  databaseUrl: string,
  simulatorUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ZEGO_API_URL: simulatorUrl,
    ZEGO_APP_ID: TEST_APP_ID,
    ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
    API_OPEN: 'true',
    ...extra,
  };
}

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface ServiceProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  request(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; ms: number }>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The built service (npm test builds it) as a real process on loopback; resolves once it answers. */
export async function startService(env: Record<string, string>, port?: number): Promise<ServiceProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(p),
      DISCOVERY_INTERVAL_S: '0',
      LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${p}`;
  const service: ServiceProcess = {
    url,
    port: p,
    child,
    output: () => output,
    exited,
    async request(method, path, init = {}) {
      const started = performance.now();
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + path, { method, headers, body, signal: AbortSignal.timeout(20_000) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, ms: performance.now() - started };
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`the service exited: ${output.slice(-2000)}`);
    return (await fetch(`${url}/health/live`).catch(() => undefined))?.ok;
  }, 30_000);
  return service;
}

/** SQL checks that status, history and aggregates agree; returns the list of disagreements. */
export async function inconsistencies(query: <T>(sql: string) => Promise<T[]>): Promise<string[]> {
  const problems: string[] = [];
  const counters = await query<{ task_id: string }>(`
    SELECT t.task_id FROM task t LEFT JOIN (
      SELECT task_id, count(*) FILTER (WHERE status = 1) q, count(*) FILTER (WHERE status = 2) p,
             count(*) FILTER (WHERE status = 3) f, count(*) FILTER (WHERE status = 4) d,
             count(*) FILTER (WHERE unresolved_at IS NOT NULL) u FROM drive GROUP BY task_id) c USING (task_id)
     WHERE (t.queued, t.playing, t.failed, t.finished, t.unresolved)
           IS DISTINCT FROM (coalesce(c.q, 0)::int, coalesce(c.p, 0)::int, coalesce(c.f, 0)::int, coalesce(c.d, 0)::int, coalesce(c.u, 0)::int)`);
  if (counters.length)
    problems.push(`task counters differ from the drives table for ${counters.map((r) => r.task_id).join(', ')}`);
  const latest = await query<{ id: string }>(`
    SELECT d.id FROM drive d JOIN LATERAL (SELECT status FROM drive_history h WHERE h.drive_row_id = d.id ORDER BY h.id DESC LIMIT 1) h ON true
     WHERE h.status <> d.status`);
  if (latest.length) problems.push(`${latest.length} drives whose status is not their last history entry`);
  const orphans = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM drive d WHERE NOT EXISTS (SELECT 1 FROM drive_history h WHERE h.drive_row_id = d.id)`,
  );
  if (orphans[0].n) problems.push(`${orphans[0].n} drives without history`);
  const dup = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT drive_row_id, status FROM drive_history GROUP BY 1, 2 HAVING count(*) > 1) x`,
  );
  if (dup[0].n) problems.push(`${dup[0].n} duplicated history entries`);
  const outcomes = await query<{ task_id: string }>(`
    SELECT coalesce(a.task_id, b.task_id) AS task_id FROM
      (SELECT task_id, sum(failed)::int f, sum(finished)::int d FROM drive_outcome_hourly GROUP BY 1) a FULL JOIN
      (SELECT task_id, count(*) FILTER (WHERE status = 3)::int f, count(*) FILTER (WHERE status = 4)::int d FROM drive_history GROUP BY 1) b USING (task_id)
     WHERE (coalesce(a.f, 0), coalesce(a.d, 0)) <> (coalesce(b.f, 0), coalesce(b.d, 0))`);
  if (outcomes.length)
    problems.push(`hourly outcomes differ from history for ${outcomes.map((r) => r.task_id).join(', ')}`);
  const shards = await query<{ n: number }>(`
    SELECT count(*)::int AS n FROM
      (SELECT hour, sum(failed) f, sum(finished) d FROM drive_outcome_hourly GROUP BY 1) a FULL JOIN
      (SELECT hour, sum(failed) f, sum(finished) d FROM drive_outcome_hourly_shard GROUP BY 1) b USING (hour)
     WHERE (coalesce(a.f, 0), coalesce(a.d, 0)) <> (coalesce(b.f, 0), coalesce(b.d, 0))`);
  if (shards[0].n) problems.push(`${shards[0].n} hours where the cross-task aggregate differs from the per-task one`);
  // The duration histograms hold exactly the drives' timings (per task), and across tasks their sum.
  const histograms = await query<{ n: number }>(`
    WITH expected AS (
      SELECT task_id, metric, hour, bucket, count(*)::int AS drives FROM (
        SELECT task_id, 1 AS metric, date_trunc('hour', playing_at, 'UTC') AS hour,
               duration_bucket(floor((extract(epoch FROM playing_at) - extract(epoch FROM queued_at)) * 1000)::bigint) AS bucket
          FROM drive WHERE queued_at IS NOT NULL AND playing_at IS NOT NULL
        UNION ALL
        SELECT task_id, 2, date_trunc('hour', ended_at, 'UTC'),
               duration_bucket(floor((extract(epoch FROM ended_at) - extract(epoch FROM playing_at)) * 1000)::bigint)
          FROM drive WHERE playing_at IS NOT NULL AND ended_at IS NOT NULL) t
      GROUP BY 1, 2, 3, 4
    ), stored AS (SELECT task_id, metric, hour, bucket, drives FROM drive_duration_hourly WHERE drives <> 0)
    SELECT count(*)::int AS n FROM expected e FULL JOIN stored s USING (task_id, metric, hour, bucket)
     WHERE e.drives IS DISTINCT FROM s.drives`);
  if (histograms[0].n) problems.push(`${histograms[0].n} duration histogram cells differ from the drives' timings`);
  const across = await query<{ n: number }>(`
    SELECT count(*)::int AS n FROM
      (SELECT metric, hour, bucket, sum(drives)::int AS n FROM drive_duration_hourly GROUP BY 1, 2, 3 HAVING sum(drives) <> 0) a
      FULL JOIN (
        SELECT metric, hour, bucket, sum(n)::int AS n FROM (
          SELECT metric, hour, bucket, drives AS n FROM drive_duration_hourly_all
          UNION ALL
          SELECT metric, hour, u.bucket, u.drives FROM drive_duration_hourly_packed, unpack_duration_histogram(histogram) u
        ) x GROUP BY 1, 2, 3 HAVING sum(n) <> 0) b USING (metric, hour, bucket)
     WHERE a.n IS DISTINCT FROM b.n`);
  if (across[0].n) problems.push(`${across[0].n} cross-task duration cells differ from the per-task ones`);
  problems.push(...(await minuteInconsistencies(query)));
  return problems;
}

/**
 * The per-minute aggregates against history and the drives' timings, as the hourly ones above, over
 * the minutes of the last 7 days (what MINUTE_RETENTION_DAYS keeps by default, and what the
 * migration back-fills).
 */
export async function minuteInconsistencies(query: <T>(sql: string) => Promise<T[]>): Promise<string[]> {
  const problems: string[] = [];
  const recent = `minute >= date_trunc('minute', now()) - interval '7 days'`;
  const outcomes = await query<{ n: number }>(`
    SELECT count(*)::int AS n FROM
      (SELECT task_id, minute, failed f, finished d FROM drive_outcome_minute WHERE failed + finished > 0) a FULL JOIN
      (SELECT task_id, date_trunc('minute', observed_at, 'UTC') AS minute, count(*) FILTER (WHERE status = 3)::int f,
              count(*) FILTER (WHERE status = 4)::int d FROM drive_history WHERE status IN (3, 4) GROUP BY 1, 2) b
      USING (task_id, minute)
     WHERE ${recent} AND (coalesce(a.f, 0), coalesce(a.d, 0)) <> (coalesce(b.f, 0), coalesce(b.d, 0))`);
  if (outcomes[0].n) problems.push(`${outcomes[0].n} task minutes whose outcomes differ from history`);
  const shards = await query<{ n: number }>(`
    SELECT count(*)::int AS n FROM
      (SELECT minute, sum(failed) f, sum(finished) d FROM drive_outcome_minute GROUP BY 1) a FULL JOIN
      (SELECT minute, sum(failed) f, sum(finished) d FROM drive_outcome_minute_shard GROUP BY 1) b USING (minute)
     WHERE ${recent} AND (coalesce(a.f, 0), coalesce(a.d, 0)) <> (coalesce(b.f, 0), coalesce(b.d, 0))`);
  if (shards[0].n) problems.push(`${shards[0].n} minutes where the cross-task outcomes differ from the per-task ones`);
  const histograms = await query<{ n: number }>(`
    WITH expected AS (
      SELECT task_id, metric, minute, bucket, count(*)::int AS drives FROM (
        SELECT task_id, 1 AS metric, date_trunc('minute', playing_at, 'UTC') AS minute,
               duration_bucket(floor((extract(epoch FROM playing_at) - extract(epoch FROM queued_at)) * 1000)::bigint) AS bucket
          FROM drive WHERE queued_at IS NOT NULL AND playing_at IS NOT NULL
        UNION ALL
        SELECT task_id, 2, date_trunc('minute', ended_at, 'UTC'),
               duration_bucket(floor((extract(epoch FROM ended_at) - extract(epoch FROM playing_at)) * 1000)::bigint)
          FROM drive WHERE playing_at IS NOT NULL AND ended_at IS NOT NULL) t
      GROUP BY 1, 2, 3, 4
    ), stored AS (SELECT task_id, metric, minute, bucket, drives FROM drive_duration_minute WHERE drives <> 0)
    SELECT count(*)::int AS n FROM expected e FULL JOIN stored s USING (task_id, metric, minute, bucket)
     WHERE ${recent} AND e.drives IS DISTINCT FROM s.drives`);
  if (histograms[0].n) problems.push(`${histograms[0].n} minute histogram cells differ from the drives' timings`);
  const across = await query<{ n: number }>(`
    SELECT count(*)::int AS n FROM
      (SELECT metric, minute, bucket, sum(drives)::int AS n FROM drive_duration_minute GROUP BY 1, 2, 3 HAVING sum(drives) <> 0) a
      FULL JOIN (
        SELECT metric, minute, bucket, sum(n)::int AS n FROM (
          SELECT metric, minute, bucket, drives AS n FROM drive_duration_minute_all
          UNION ALL
          SELECT metric, minute, u.bucket, u.drives FROM drive_duration_minute_packed, unpack_duration_histogram(histogram) u
        ) x GROUP BY 1, 2, 3 HAVING sum(n) <> 0) b USING (metric, minute, bucket)
     WHERE ${recent} AND a.n IS DISTINCT FROM b.n`);
  if (across[0].n) problems.push(`${across[0].n} cross-task minute histogram cells differ from the per-task ones`);
  return problems;
}

/** Upstream calls a service has made, from its /metrics (only the lease holder makes any). */
export async function upstreamCalls(s: ServiceProcess, headers: Record<string, string> = {}): Promise<number> {
  const text = String((await s.request('GET', '/metrics', { headers })).body);
  return [...text.matchAll(/^zego_upstream_calls_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

/** The simulator in its own process (see test/support/simulator-server.mjs). */
export async function startSimulator(options: Record<string, unknown>) {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, '..', 'support', 'simulator-server.mjs'), JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const { url, control } = await new Promise<{ url: string; control: string }>((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(JSON.parse(String(d))));
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  const call = async (method: string, path: string, body?: unknown) =>
    (await fetch(control + path, { method, body: body === undefined ? undefined : JSON.stringify(body) })).json();
  return {
    url,
    createTasks: (count: number) => call('POST', '/tasks', { count }) as Promise<string[]>,
    driveLoop: (taskIds: string[], probability: number, everyMs: number) =>
      call('POST', '/drive-loop', { taskIds, probability, everyMs }),
    stats: () => call('GET', '/stats') as Promise<SimulatorStats>,
    close: () =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')),
      ),
  };
}
