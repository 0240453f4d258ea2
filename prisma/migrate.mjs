#!/usr/bin/env node
// Applies and checks Prisma migrations without Prisma's native schema engine, which cannot be
// downloaded on offline machines. It drives the same engine compiled to WebAssembly
// (@prisma/schema-engine-wasm, pinned to the version `prisma` was built with) through the
// `pg` driver adapter, so `_prisma_migrations` ends up exactly as `prisma migrate deploy`
// would leave it, and the ordinary Prisma CLI keeps working on machines that have it.
//
//   node prisma/migrate.mjs deploy          apply pending migrations to DATABASE_URL
//   node prisma/migrate.mjs diff            print SQL that takes the migrations to schema.prisma
//   node prisma/migrate.mjs new <name>      write that SQL as a new migration folder
//   node prisma/migrate.mjs check           exit 1 when schema.prisma and the migrations disagree
// MIGRATE_UNTIL=<folder> limits deploy to the migrations up to that one (tests of a migration on
// data written before it).
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const migrationsDir = join(here, 'migrations');
const schemaPath = join(here, 'schema.prisma');
const require = createRequire(import.meta.url);

async function loadEngine() {
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = await import(pathToFileURL(bgPath).href);
  const bytes = await readFile(join(dirname(bgPath), 'schema_engine_bg.wasm'));
  const module = await WebAssembly.compile(bytes);
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg.SchemaEngine;
}

async function migrationList() {
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  const dirs = existsSync(migrationsDir)
    ? (await readdir(migrationsDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
        .filter((name) => !process.env.MIGRATE_UNTIL || name <= process.env.MIGRATE_UNTIL)
    : [];
  const migrationDirectories = [];
  for (const name of dirs) {
    const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
    migrationDirectories.push({
      path: name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: sql } },
    });
  }
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function withEngine(databaseUrl, fn) {
  const [{ PrismaPg }, { bindMigrationAwareSqlAdapterFactory }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('@prisma/driver-adapter-utils'),
  ]);
  const schema = await readFile(schemaPath, 'utf8');
  // The URL as given, as the service's pool takes it: TLS (sslmode, sslrootcert, ...), `options`,
  // socket hosts and whatever else it says apply to migrations exactly as to the service.
  const factory = wholeScripts(new PrismaPg({ connectionString: databaseUrl }));
  // The adapter's own shadow database is dropped while its pool still holds a connection, which
  // PostgreSQL refuses; make one that is closed first and then dropped. It is reached through the
  // same URL with only the database changed.
  factory.connectToShadowDb = async () => {
    const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`;
    const main = await factory.connect();
    await main.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = await wholeScripts(new PrismaPg({ connectionString: withDatabase(databaseUrl, name) })).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  };
  const engine = await newEngine(bindMigrationAwareSqlAdapterFactory(factory), schema);
  try {
    return await fn(engine, schema);
  } finally {
    engine.free();
  }
}

/** The same connection URL naming another database (`socket:` URLs name it in `db`). */
export function withDatabase(databaseUrl, name) {
  const url = new URL(databaseUrl);
  if (url.protocol === 'socket:') url.searchParams.set('db', name);
  else url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/**
 * The pg adapter runs a migration script by cutting it at every `;` and sending the pieces one by
 * one: a `;` inside a function body or a comment breaks it, and a failure half-way leaves the
 * first pieces applied. The native engine sends the whole script at once (PostgreSQL parses it and
 * runs it as one implicit transaction); so does this.
 */
function wholeScripts(factory) {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (error) {
        adapter.onError(error);
      }
    };
    return adapter;
  };
  return factory;
}

async function newEngine(adapter, schema) {
  const SchemaEngine = await loadEngine();
  const datamodels = schema === undefined ? undefined : [['schema.prisma', schema]];
  return SchemaEngine.new({ datamodels }, () => undefined, adapter);
}

/** Applies every pending migration; returns the names applied. */
export async function deploy(databaseUrl) {
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({
      migrationsList: await migrationList(),
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.appliedMigrationNames;
  });
}

/**
 * SQL that takes the schema of the newest migration to the current schema.prisma. Each migration
 * folder keeps the schema it was made from (`schema.prisma` beside `migration.sql`), so the diff
 * is between two datamodels: describing a live PostgreSQL 18 database is something this wasm
 * engine cannot do yet (it fails on the `char` type).
 */
export async function diff(databaseUrl) {
  // The engine insists on a reachable database even for a diff of two datamodels.
  return withEngine(databaseUrl, async (engine, current) => {
    const previous = await lastMigratedSchema();
    const result = await engine.diff({
      from:
        previous === null
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: current }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  });
}

async function lastMigratedSchema() {
  const list = await migrationList();
  const last = list.migrationDirectories.at(-1);
  if (!last) return null;
  const snapshot = join(migrationsDir, last.path, 'schema.prisma');
  if (!existsSync(snapshot)) throw new Error(`${last.path} has no schema.prisma snapshot`);
  return readFile(snapshot, 'utf8');
}

function isEmptyDiff(sql) {
  return sql.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('--'));
}

async function main() {
  const [command, name] = process.argv.slice(2);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  if (command === 'deploy') {
    const applied = await deploy(url);
    console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  } else if (command === 'diff') {
    process.stdout.write(await diff(url));
  } else if (command === 'check') {
    const sql = await diff(url);
    if (!isEmptyDiff(sql)) {
      console.error('schema.prisma and prisma/migrations disagree; a new migration needs:\n' + sql);
      process.exit(1);
    }
    console.log('schema.prisma matches the migrations');
  } else if (command === 'new') {
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: migrate.mjs new <snake_case_name>');
    const sql = await diff(url);
    if (isEmptyDiff(sql)) return console.log('nothing to migrate');
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'migration.sql'), sql);
    await writeFile(join(dir, 'schema.prisma'), await readFile(schemaPath, 'utf8'));
    const lock = join(migrationsDir, 'migration_lock.toml');
    if (!existsSync(lock)) await writeFile(lock, 'provider = "postgresql"\n');
    console.log(`wrote ${dir}/migration.sql`);
  } else {
    throw new Error('usage: migrate.mjs deploy|diff|check|new <name>');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (err) => {
      // Only the message: a connection error can carry the URL, and the URL carries the password.
      console.error(`migration failed: ${String(err?.message ?? err).replace(/\/\/[^@/\s]+@/g, '//***@')}`);
      process.exit(1);
    },
  );
}
