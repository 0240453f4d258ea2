import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type QueryResultRow } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { announce } from './statement-names';

export const DATABASE_URL = Symbol('DATABASE_URL');
export const DATABASE_POOL_SIZE = Symbol('DATABASE_POOL_SIZE');
/** The pool's size when none is configured (DATABASE_POOL_SIZE's default). */
const DEFAULT_POOL_SIZE = 20;

export interface SqlRunner {
  /**
   * A statement with `$1` parameters. With a `name`, it is prepared once per connection and then
   * only bound and executed: for the hot statements, whose parsing and planning cost more than
   * running them.
   */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<R[]>;
  /**
   * Statements without parameters (values inlined with `literal`), sent in one round trip; as the
   * first of a transaction they travel with BEGIN. Gives each statement's rows, in order.
   */
  queryText(
    statements: (literal: (value: string) => string) => string[],
  ): Promise<Array<Array<Record<string, unknown>>>>;
  /**
   * A statement without results (SAVEPOINT, RELEASE SAVEPOINT) sent ahead of the next one, in the
   * same round trip when that is a `queryText`. Left unsent at COMMIT (which makes it moot).
   */
  defer(statement: string): void;
}

/**
 * The session settings of every connection, around those of DATABASE_URL's `options` parameter
 * (which `pg` would otherwise let replace them): a statement timeout the URL may change, then the
 * URL's own settings, then UTC, which the code relies on (ISO timestamps read as text, hours and
 * minutes of the aggregates) and no URL may change.
 */
export function sessionOptions(databaseUrl: string): { connectionString: string; options: string } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return { connectionString: databaseUrl, options: '-c statement_timeout=15000 -c TimeZone=UTC' };
  }
  const theirs = url.searchParams.get('options')?.trim();
  url.searchParams.delete('options');
  return {
    connectionString: theirs === undefined ? databaseUrl : url.toString(),
    options: ['-c statement_timeout=15000', theirs, '-c TimeZone=UTC'].filter(Boolean).join(' '),
  };
}

/**
 * The process's one connection pool. Prisma runs on it through the `pg` driver adapter (no native
 * engine); the few hot queries that Prisma's per-query overhead would slow down use it directly.
 */
export function createPool(databaseUrl: string, size = DEFAULT_POOL_SIZE): Pool {
  return new Pool({
    ...sessionOptions(databaseUrl),
    max: size,
    // Fail fast instead of queueing forever when the database is down.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
}

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(
    @Inject(DATABASE_URL) databaseUrl: string,
    @Optional() @Inject(DATABASE_POOL_SIZE) poolSize: number = DEFAULT_POOL_SIZE,
  ) {
    const pool = createPool(databaseUrl, poolSize);
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    // An idle client that loses its connection (database restart) must not crash the process.
    pool.on('error', () => undefined);
  }

  /**
   * Runs `work` in one transaction on a client of the shared pool, with plain SQL (`$1` parameters).
   * The sync and callback writes use this rather than Prisma's interactive transactions, which
   * cost a measured 1.8× in callback throughput (README, Performance).
   */
  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client whose connection drops between two statements emits 'error'; without a
    // listener that would end the process. Note it, and discard the client on release.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    let begun = false;
    let deferred: string[] = [];
    /** BEGIN when the transaction has not begun, then what was deferred: sent before the next statement. */
    const takePrefix = () => {
      const prefix = begun ? deferred : ['BEGIN', ...deferred];
      begun = true;
      deferred = [];
      return prefix;
    };
    try {
      const result = await work({
        query: async <R>(sql: string, params: unknown[] = [], name?: string) => {
          const prefix = takePrefix();
          if (prefix.length) await client.query(prefix.join('; '));
          const config = name ? { name, text: sql, values: params } : { text: sql, values: params };
          return (await client.query<R & QueryResultRow>(config)).rows;
        },
        queryText: async (build) => {
          const statements = build((value) => client.escapeLiteral(value));
          // The simple protocol answers one result per statement (a bare object when there is one).
          const prefix = takePrefix();
          const all = [...prefix, ...statements];
          const text = all.join('; ');
          const results = [await announce(all, text, () => client.query(text))].flat() as unknown as Array<{
            rows: Array<Record<string, unknown>>;
          }>;
          return results.slice(prefix.length).map((r) => r.rows);
        },
        defer: (statement) => void deferred.push(statement),
      });
      if (begun) await client.query('COMMIT');
      return result;
    } catch (err) {
      if (begun) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    } finally {
      // A client whose connection failed is discarded rather than handed to the next caller.
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** The last step of shutdown, after every feature has finished its writes. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end().catch(() => undefined);
  }
}
