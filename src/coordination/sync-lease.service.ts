import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { DATABASE_URL } from '../database/prisma.service';

/** One advisory-lock key for the whole fleet: "drive-status sync". */
const LEASE_KEY = 0x64727374;
const CHECK_EVERY_MS = 2000;
/** After taking over, wait this long so the fleet never exceeds the upstream budget in one second. */
const SETTLE_MS = 1100;

/**
 * Which replica talks to ZEGO. Any number of replicas serve the API and take callbacks; exactly one
 * of them — the holder of a PostgreSQL session advisory lock — polls and discovers, so one rate
 * limiter covers every upstream call of the fleet. The lock lives on a connection of its own: if the
 * holder dies (even kill -9) PostgreSQL drops the connection and the lock with it, and another
 * replica takes over at its next check, within a few seconds.
 */
@Injectable()
export class SyncLease implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncLease.name);
  private client?: Client;
  private heldSince?: number;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly config: AppConfig,
  ) {}

  /** True when this replica may call the upstream now. */
  get held(): boolean {
    return this.heldSince !== undefined && Date.now() - this.heldSince >= SETTLE_MS;
  }

  onApplicationBootstrap(): void {
    if (!this.config.SYNC_ENABLED) return;
    const check = () => {
      this.checking ??= this.check().finally(() => (this.checking = undefined));
    };
    check();
    this.timer = setInterval(check, CHECK_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await this.release();
  }

  /** Gives the lease up (after the sync has stopped), so another replica can take over at once. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    const held = this.heldSince !== undefined;
    this.heldSince = undefined;
    if (!client) return;
    if (held) await client.query('SELECT pg_advisory_unlock($1)', [LEASE_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
    if (held) this.logger.log('sync lease released');
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.client) {
        const client = new Client({
          connectionString: this.databaseUrl,
          connectionTimeoutMillis: 3000,
          keepAlive: true,
          application_name: 'drive-status sync lease',
        });
        client.on('error', () => this.lose('the lease connection failed'));
        await client.connect();
        this.client = client;
      }
      if (this.heldSince !== undefined) {
        await this.client.query('SELECT 1');
        return;
      }
      const { rows } = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEASE_KEY]);
      if (rows[0]?.ok) {
        this.heldSince = Date.now();
        this.logger.log('sync lease taken: this replica polls the upstream');
      }
    } catch (err) {
      this.lose(`lease check failed: ${(err as Error).message}`);
    }
  }

  private lose(reason: string): void {
    if (this.heldSince !== undefined) this.logger.warn(`sync lease lost (${reason}); polling stops here`);
    this.heldSince = undefined;
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }
}
