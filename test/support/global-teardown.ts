import { Client } from 'pg';
import type { EmbeddedDatabase } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __embeddedPg?: EmbeddedDatabase }).__embeddedPg;
  if (embedded) {
    await embedded.stop();
    return;
  }
  const admin = new Client({ connectionString: process.env.TEST_PG_SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${process.env.TEST_PG_TEMPLATE} WITH (FORCE)`);
  await admin.end();
}
