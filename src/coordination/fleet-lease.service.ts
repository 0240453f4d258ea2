import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DATABASE_URL } from '../database/prisma.service';
import { sql, statement } from '../database/sql';

/**
 * One advisory-lock key for the whole fleet. It is the key the sync lease had before it covered every
 * background duty, so during a rolling upgrade old and new replicas still elect one holder between them.
 */
const LEASE_KEY = 0x64727374;
const TRY_LOCK = statement<{ key: number }>(
  'fleet-lease-take',
  (p) => sql`SELECT pg_try_advisory_lock(${p.key}) AS ok`,
);
const UNLOCK = statement<{ key: number }>('fleet-lease-release', (p) => sql`SELECT pg_advisory_unlock(${p.key})`);
/** How often the lease is checked (taken if free, kept alive if held). */
export const LEASE_CHECK_MS = 2000;
/** After taking over, wait this long so the fleet never exceeds the upstream budget in one second. */
const SETTLE_MS = 1100;

/**
 * Which replica runs the fleet's background duties (polling and discovery, alert evaluation, webhook
 * delivery, maintenance, receipt clean-up, the unresolved sweep). Any number of replicas serve the
 * API and take callbacks; exactly one of them — the holder of a PostgreSQL session advisory lock —
 * runs the duties, so one rate limiter covers every upstream call and one evaluator and one sender
 * work fleet-wide. The lock lives on a connection of its own: if the holder dies (even kill -9)
 * PostgreSQL drops the connection and the lock with it, and another replica takes over at its next
 * check, within a few seconds. Every replica competes, whatever SYNC_ENABLED says (that setting
 * only decides whether the holder also calls ZEGO). BackgroundDuties checks and releases it.
 */
@Injectable()
export class FleetLease {
  private readonly logger = new Logger(FleetLease.name);
  private client?: Client;
  private heldSince?: number;
  private stopped = false;

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  /** True when this replica may run the fleet's duties now. */
  get held(): boolean {
    return this.heldSince !== undefined && Date.now() - this.heldSince >= SETTLE_MS;
  }

  /** When this replica took the lease (null: not the holder). */
  get since(): Date | null {
    return this.heldSince === undefined ? null : new Date(this.heldSince);
  }

  /** Takes the lease if it is free, or checks that the connection holding it is alive. */
  async check(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.client) {
        const client = new Client({
          connectionString: this.databaseUrl,
          connectionTimeoutMillis: 3000,
          keepAlive: true,
          application_name: 'drive-status fleet lease',
        });
        client.on('error', () => this.lose('the lease connection failed'));
        await client.connect();
        if (this.stopped) return void (await client.end().catch(() => undefined));
        this.client = client;
      }
      if (this.heldSince !== undefined) {
        await this.client.query('SELECT 1');
        return;
      }
      const { rows } = await this.client.query<{ ok: boolean }>(TRY_LOCK.config({ key: LEASE_KEY }));
      if (rows[0]?.ok) {
        this.heldSince = Date.now();
        this.logger.log('fleet lease taken: this replica runs the background duties');
      }
    } catch (err) {
      this.lose(`lease check failed: ${(err as Error).message}`);
    }
  }

  /** Gives the lease up (after every duty has stopped), so another replica can take over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    const held = this.heldSince !== undefined;
    this.heldSince = undefined;
    if (!client) return;
    if (held) await client.query(UNLOCK.config({ key: LEASE_KEY })).catch(() => undefined);
    await client.end().catch(() => undefined);
    if (held) this.logger.log('fleet lease released');
  }

  private lose(reason: string): void {
    if (this.heldSince !== undefined) this.logger.warn(`fleet lease lost (${reason}); background duties stop here`);
    this.heldSince = undefined;
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }
}
