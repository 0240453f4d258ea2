import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { applyMigrations } from '../../src/database/embedded-postgres';
import { durationBucket } from '../../src/drives/durations';
import { createTestDatabase, TestDatabase } from '../support/database';
import { inconsistencies, minuteInconsistencies } from '../support/processes';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.drop());

  it('are recorded in _prisma_migrations like prisma migrate deploy does, and re-running is a no-op', async () => {
    const rows = await db.query<{ migration_name: string; finished_at: Date | null }>(
      'SELECT migration_name, finished_at FROM _prisma_migrations',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(await applyMigrations(db.url)).toBe('database is up to date');
  });

  it('agree with schema.prisma (no drift)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['prisma/migrate.mjs', 'check'], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    expect(stdout).toContain('matches');
  });

  it('back-fill drive timings and their histograms from the history written before them', async () => {
    const old = await createTestDatabase({ empty: true });
    try {
      const deploy = (until?: string) =>
        promisify(execFile)(process.execPath, ['prisma/migrate.mjs', 'deploy'], {
          env: { ...process.env, DATABASE_URL: old.url, ...(until ? { MIGRATE_UNTIL: until } : {}) },
        });
      await deploy('20261129112821_unresolved_counter');
      // Three drives as the service recorded them before: queued -> playing -> finished, first seen
      // playing then failed, queued and still playing.
      await old.query(`
        INSERT INTO task (task_id, queued, playing, failed, finished) VALUES ('old-task', 0, 1, 1, 1);
        INSERT INTO drive (task_id, drive_id, status, first_seen_at, status_changed_at, last_seen_at) VALUES
          ('old-task', 'a', 4, '2026-11-20T10:00:00Z', '2026-11-20T10:00:07.5Z', '2026-11-20T10:00:07.5Z'),
          ('old-task', 'b', 3, '2026-11-20T10:59:59Z', '2026-11-20T11:00:02Z', '2026-11-20T11:00:02Z'),
          ('old-task', 'c', 2, '2026-11-20T12:00:00Z', '2026-11-20T12:00:00.25Z', '2026-11-20T12:00:00.25Z');
        INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source)
        SELECT d.id, 'old-task', v.status, v.prev, v.at::timestamptz, 'poll'
          FROM (VALUES ('a', 1, NULL, '2026-11-20T10:00:00Z'), ('a', 2, 1, '2026-11-20T10:00:01.5Z'),
                       ('a', 4, 2, '2026-11-20T10:00:07.5Z'), ('b', 2, NULL, '2026-11-20T10:59:59Z'),
                       ('b', 3, 2, '2026-11-20T11:00:02Z'), ('c', 1, NULL, '2026-11-20T12:00:00Z'),
                       ('c', 2, 1, '2026-11-20T12:00:00.25Z')) v(drive, status, prev, at)
          JOIN drive d ON d.drive_id = v.drive ORDER BY v.at::timestamptz;
        INSERT INTO drive_outcome_hourly (task_id, hour, failed, finished) VALUES
          ('old-task', '2026-11-20T10:00:00Z', 0, 1), ('old-task', '2026-11-20T11:00:00Z', 1, 0);
        INSERT INTO drive_outcome_hourly_shard (hour, shard, failed, finished)
        SELECT hour, (hashtext(task_id) & 15)::smallint, failed, finished FROM drive_outcome_hourly;`);
      await deploy();
      const drives = await old.query(`SELECT drive_id, queued_at, playing_at, ended_at FROM drive ORDER BY drive_id`);
      expect(drives).toEqual([
        {
          drive_id: 'a',
          queued_at: new Date('2026-11-20T10:00:00Z'),
          playing_at: new Date('2026-11-20T10:00:01.5Z'),
          ended_at: new Date('2026-11-20T10:00:07.5Z'),
        },
        {
          drive_id: 'b',
          queued_at: null,
          playing_at: new Date('2026-11-20T10:59:59Z'),
          ended_at: new Date('2026-11-20T11:00:02Z'),
        },
        {
          drive_id: 'c',
          queued_at: new Date('2026-11-20T12:00:00Z'),
          playing_at: new Date('2026-11-20T12:00:00.25Z'),
          ended_at: null,
        },
      ]);
      const cells = await old.query(
        `SELECT metric, hour, u.bucket::int AS bucket, u.drives FROM drive_duration_hourly_packed, unpack_duration_histogram(histogram) u
          ORDER BY metric, hour`,
      );
      expect(cells).toEqual([
        { metric: 1, hour: new Date('2026-11-20T10:00:00Z'), bucket: durationBucket(1500), drives: 1 },
        { metric: 1, hour: new Date('2026-11-20T12:00:00Z'), bucket: durationBucket(250), drives: 1 },
        { metric: 2, hour: new Date('2026-11-20T10:00:00Z'), bucket: durationBucket(6000), drives: 1 },
        { metric: 2, hour: new Date('2026-11-20T11:00:00Z'), bucket: durationBucket(3000), drives: 1 },
      ]);
      // Those hours are over: the migration folded them (nothing left unpacked).
      expect(await old.query(`SELECT * FROM drive_duration_hourly_all`)).toEqual([]);
      expect(await inconsistencies((sql) => old.query(sql))).toEqual([]);
    } finally {
      await old.drop();
    }
  });

  it('back-fill the per-minute aggregates of the last 7 days from history and the drives’ timings', async () => {
    const old = await createTestDatabase({ empty: true });
    try {
      await promisify(execFile)(process.execPath, ['prisma/migrate.mjs', 'deploy'], {
        env: { ...process.env, DATABASE_URL: old.url, MIGRATE_UNTIL: '20261129131821_history_partitions' },
      });
      // Two drives that ended two hours ago (one registered as audio), one eight days ago.
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      const at = (ms: number) => new Date(ms).toISOString();
      const [recent, stale] = [minute - 2 * 3600_000, minute - 8 * 86_400_000];
      await old.query(`SELECT ensure_history_partition($1), ensure_history_partition($2)`, [at(recent), at(stale)]);
      await old.query(`
        INSERT INTO task (task_id, failed, finished) VALUES ('mt', 1, 2);
        INSERT INTO drive (task_id, drive_id, status, drive_type, first_seen_at, status_changed_at, last_seen_at, queued_at, playing_at, ended_at) VALUES
          ('mt', 'a', 4, 'audio', '${at(recent)}', '${at(recent + 20_000)}', '${at(recent + 20_000)}', '${at(recent)}', '${at(recent + 2_000)}', '${at(recent + 20_000)}'),
          ('mt', 'b', 3, NULL, '${at(recent)}', '${at(recent + 61_000)}', '${at(recent + 61_000)}', NULL, '${at(recent + 1_000)}', '${at(recent + 61_000)}'),
          ('mt', 'c', 4, NULL, '${at(stale)}', '${at(stale + 5_000)}', '${at(stale + 5_000)}', NULL, '${at(stale)}', '${at(stale + 5_000)}');
        INSERT INTO drive_history (drive_row_id, task_id, status, previous_status, observed_at, source)
        SELECT d.id, 'mt', v.status, v.prev, v.at::timestamptz, 'callback'
          FROM (VALUES ('a', 1, NULL, '${at(recent)}'), ('a', 2, 1, '${at(recent + 2_000)}'), ('a', 4, 2, '${at(recent + 20_000)}'),
                       ('b', 2, NULL, '${at(recent + 1_000)}'), ('b', 3, 2, '${at(recent + 61_000)}'),
                       ('c', 2, NULL, '${at(stale)}'), ('c', 4, 2, '${at(stale + 5_000)}')) v(drive, status, prev, at)
          JOIN drive d ON d.drive_id = v.drive ORDER BY v.at::timestamptz;`);
      await promisify(execFile)(process.execPath, ['prisma/migrate.mjs', 'deploy'], {
        env: { ...process.env, DATABASE_URL: old.url },
      });
      expect(
        await old.query(`SELECT task_id, minute, failed, finished FROM drive_outcome_minute ORDER BY minute`),
      ).toEqual([
        { task_id: 'mt', minute: new Date(recent), failed: 0, finished: 1 },
        { task_id: 'mt', minute: new Date(recent + 60_000), failed: 1, finished: 0 },
      ]);
      expect(await old.query(`SELECT drive_type, minute, failed, finished FROM drive_outcome_minute_type`)).toEqual([
        { drive_type: 'audio', minute: new Date(recent), failed: 0, finished: 1 },
      ]);
      expect(
        await old.query(
          `SELECT metric, minute, bucket::int AS bucket, drives FROM drive_duration_minute ORDER BY 1, 2`,
        ),
      ).toEqual([
        { metric: 1, minute: new Date(recent), bucket: durationBucket(2_000), drives: 1 },
        { metric: 2, minute: new Date(recent), bucket: durationBucket(18_000), drives: 1 },
        { metric: 2, minute: new Date(recent + 60_000), bucket: durationBucket(60_000), drives: 1 },
      ]);
      // Minutes that are over come folded.
      expect(await old.query(`SELECT * FROM drive_duration_minute_all`)).toEqual([]);
      // (No hourly aggregates were written here: only the minutes are checked.)
      expect(await minuteInconsistencies((sql) => old.query(sql))).toEqual([]);
    } finally {
      await old.drop();
    }
  });

  it('compute the same histogram buckets in SQL as in the service', async () => {
    const values = [0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 1000, 4095, 4096, 65_535, 3_600_000, 2 ** 31 - 1, 2 ** 40];
    for (let i = 0; i < 2000; i++) values.push(Math.floor(Math.exp(Math.random() * Math.log(2 ** 31))));
    const rows = await db.query<{ b: number }>(
      `SELECT duration_bucket(v) AS b FROM unnest($1::bigint[]) WITH ORDINALITY AS t(v, i) ORDER BY i`,
      [values],
    );
    expect(rows.map((r) => r.b)).toEqual(values.map(durationBucket));
  });
});

/**
 * The migrator takes DATABASE_URL as the service's pool does: options that change how a session
 * behaves, and TLS, apply to migrations too (they used to be dropped, so a deployment that requires
 * TLS ran its migrations without it).
 */
describe('the migrator connects with every option of DATABASE_URL', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase({ empty: true })));
  afterEach(() => db.drop());
  const withParams = (params: Record<string, string>) => {
    const url = new URL(db.url);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  };
  const tables = async (schema: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1`, [schema]))[0].n;

  it('applies `options`: a session that is read-only cannot migrate', async () => {
    const url = withParams({ options: '-c default_transaction_read_only=on' });
    await expect(applyMigrations(url)).rejects.toThrow(/read-only transaction/);
    expect(await tables('public')).toBe(0);
  });

  it('applies `options`: the tables go to the schema search_path names', async () => {
    await db.query('CREATE SCHEMA elsewhere');
    await applyMigrations(withParams({ options: '-c search_path=elsewhere' }));
    expect(await tables('elsewhere')).toBeGreaterThan(10);
    expect(await tables('public')).toBe(0);
  });

  it('applies `sslmode`: TLS required from a server without it is refused, not skipped', async () => {
    await expect(applyMigrations(withParams({ sslmode: 'require' }))).rejects.toThrow(/SSL/);
    expect(await tables('public')).toBe(0);
  });
});
