import { createPool } from '../../src/database/prisma.service';
import { createTestDatabase, TestDatabase } from '../support/database';

/** The pool's own session settings and those of DATABASE_URL's `options` parameter, together. */
describe('the connection pool', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  async function settings(url: string) {
    const pool = createPool(url, 1);
    try {
      const { rows } = await pool.query<{ tz: string; timeout: string; mem: string }>(
        `SELECT current_setting('TimeZone') AS tz, current_setting('statement_timeout') AS timeout,
                current_setting('work_mem') AS mem`,
      );
      return rows[0];
    } finally {
      await pool.end();
    }
  }

  it('keeps UTC and the statement timeout when the URL has no options', async () => {
    expect(await settings(db.url)).toMatchObject({ tz: 'UTC', timeout: '15s' });
  });

  it("merges the URL's options with its own (they no longer replace them)", async () => {
    const url = new URL(db.url);
    url.searchParams.set('options', '-c work_mem=7MB');
    expect(await settings(url.toString())).toEqual({ tz: 'UTC', timeout: '15s', mem: '7MB' });
  });

  it('lets the URL change the statement timeout, never the time zone', async () => {
    const url = new URL(db.url);
    url.searchParams.set('options', '-c statement_timeout=30000 -c TimeZone=Europe/Paris');
    expect(await settings(url.toString())).toMatchObject({ tz: 'UTC', timeout: '30s' });
  });
});
