import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { applyMigrations } from '../../src/database/embedded-postgres';
import { createTestDatabase, TestDatabase } from '../support/database';

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
});
