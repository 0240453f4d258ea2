import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { MigrationStatus } from '../database/migration-status';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';

const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

/** Liveness and readiness; no API key needed, and no secret or internal detail in the answers. */
@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly read: ReadDatabase,
    private readonly migrations: MigrationStatus,
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({
    description: 'The process is up',
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] },
  })
  getLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * This replica can do its own work: its database reachable, the migrations applied, and its read
   * replica (when DATABASE_READ_URL is set) reachable, since this replica's reads and reports go
   * there. 503 names each failing check. Nothing shared by the whole fleet is checked: the upstream's
   * state (circuit, refused credentials) and the sync lag are the same on every replica, so failing on
   * them would take every replica out of rotation at once, the callback route with them, while ZEGO
   * retries a callback for only about a minute. They are in /status, the metrics and the `upstream`
   * and `sync_lag` alert rules.
   */
  @Get('ready')
  @ApiOperation({
    summary:
      "Readiness of this replica: database, read replica (when set), migrations; 503 names the failing checks. The upstream's state and the sync lag are in /status, not here",
  })
  @HealthCheck()
  getReadiness(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const check = this.indicator.check('database');
        try {
          await within(2000, this.prisma.pool.query('SELECT 1'));
          return check.up();
        } catch (err) {
          return check.down({ message: `unreachable: ${(err as Error).message.replace(/\/\/[^@\s]+@/g, '//***@')}` });
        }
      },
      async () => {
        // The read replica, when there is one: reads and reports go there.
        const check = this.indicator.check('readReplica');
        if (!this.read.replica) return check.up({ message: 'none: reads go to the primary' });
        try {
          const { rows } = await within(
            2000,
            this.read.prisma.pool.query<{ lag: number | null }>(
              `SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS lag`,
            ),
          );
          return check.up({ replayLagSeconds: rows[0]?.lag ?? null });
        } catch (err) {
          return check.down({ message: `unreachable: ${(err as Error).message.replace(/\/\/[^@\s]+@/g, '//***@')}` });
        }
      },
      async () => {
        const check = this.indicator.check('migrations');
        const pending = await within(2000, this.migrations.pending()).catch(() => null);
        if (pending === null) return check.down({ message: 'cannot be read while the database is unreachable' });
        return pending.length ? check.down({ message: `not applied: ${pending.join(', ')}` }) : check.up();
      },
    ]);
  }
}
