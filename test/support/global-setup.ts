import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * Starts one PostgreSQL for the whole run (embedded, unless DATABASE_URL names a server) and
 * builds a template database with the real migrations; each test file clones it in milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | undefined;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'drive-status-test-'));
    embedded = await startEmbeddedPostgres(dir, { persistent: false });
    serverUrl = embedded.serverUrl;
  }
  const template = `drive_status_template_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${template}`;
  await applyMigrations(url.toString());

  process.env.TEST_PG_SERVER_URL = serverUrl;
  process.env.TEST_PG_TEMPLATE = template;
  (globalThis as { __embeddedPg?: EmbeddedDatabase }).__embeddedPg = embedded;
}
