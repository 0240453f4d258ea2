import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/public.decorator';
import { AppConfig } from '../config/app-config';
import { MigrationStatus } from '../database/migration-status';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';
import { StatusService } from '../status/status.service';
import { ZegoClient } from '../zego/zego.client';

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
    private readonly zego: ZegoClient,
    private readonly status: StatusService,
    private readonly config: AppConfig,
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({
    description: 'The process is up',
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] },
  })
  live() {
    return { status: 'ok' };
  }

  /**
   * The service can do its work: database reachable, migrations applied, upstream credentials not
   * refused, circuit closed, sync lag under SYNC_LAG_THRESHOLD_S. 503 names each failing check.
   */
  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: database, read replica (when set), migrations, upstream credentials, circuit, sync lag; 503 names the failing checks',
  })
  @HealthCheck()
  ready() {
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
      () => {
        const check = this.indicator.check('upstreamCredentials');
        const problem = this.zego.credentialsProblem;
        return problem ? check.down({ message: problem }) : check.up();
      },
      () => {
        const check = this.indicator.check('upstreamCircuit');
        return this.zego.circuitOpen
          ? check.down({ message: 'open: the upstream has been failing; calls are paused and probed' })
          : check.up();
      },
      async () => {
        const check = this.indicator.check('syncLag');
        if (!this.config.SYNC_ENABLED) return check.up({ message: 'sync is switched off' });
        const snapshot = await within(2000, this.status.snapshot()).catch(() => null);
        if (!snapshot) return check.down({ message: 'cannot be read while the database is unreachable' });
        const lag = Math.round(snapshot.lagSeconds);
        return lag > this.config.SYNC_LAG_THRESHOLD_S
          ? check.down({
              seconds: lag,
              message: `the most overdue task waits ${lag} s (threshold ${this.config.SYNC_LAG_THRESHOLD_S} s)`,
            })
          : check.up({ seconds: lag });
      },
    ]);
  }
}
