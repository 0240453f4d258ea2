import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, ensureDatabase } from '../../src/database/embedded-postgres';
import { eventually } from '../support/harness';
import { driveCallback } from '../support/callbacks';
import { serviceEnv, ServiceProcess, startService } from '../support/processes';
import { Standby, startStandby } from '../support/standby';
import { PrivatePostgres, startPrivatePostgres } from '../support/private-postgres';

/**
 * DATABASE_READ_URL against a real hot standby fed by streaming replication from the primary:
 * reads and reports come from the standby (while its replay is paused they show the past),
 * writes and the sync lease go to the primary, and a producer's registration answers what it
 * just wrote (read back from the primary).
 */
const SECRET = 'read-replica-callback-secret-1';

describe('read replica', () => {
  let primary: PrivatePostgres;
  let standby: Standby;
  let service: ServiceProcess;
  let primaryUrl: string;
  const dir = mkdtempSync(join(tmpdir(), 'drive-status-replica-'));
  chmodSync(dir, 0o755); // the servers run as `postgres` when the tests run as root

  beforeAll(async () => {
    primary = await startPrivatePostgres(join(dir, 'primary'));
    primaryUrl = await ensureDatabase(primary.serverUrl, 'replica_test');
    await applyMigrations(primaryUrl);
    standby = await startStandby(primary.serverUrl, join(dir, 'primary', 'postgres'), join(dir, 'standby'));
    service = await startService(
      serviceEnv(primaryUrl, 'http://127.0.0.1:9', {
        DATABASE_READ_URL: standby.url('replica_test'),
        ZEGO_CALLBACK_SECRET: SECRET,
        SYNC_ENABLED: 'true',
        DRIVE_STATUS_SOURCE: 'callbacks',
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await service?.kill();
    await standby?.stop();
    await primary?.stop();
  });

  const callback = (taskId: string, driveId: string, status: number) =>
    service.request('POST', '/callbacks/zego', { body: driveCallback(SECRET, taskId, driveId, status) });

  it('reads from the standby and writes to the primary', async () => {
    const ready = await service.request('GET', '/health/ready');
    expect(ready.body.details.readReplica).toMatchObject({ status: 'up' });

    expect((await callback('rr-task', 'rr-1', 2)).status).toBe(200);
    await eventually(async () => (await service.request('GET', '/tasks/rr-task/drives/rr-1')).status === 200, 10_000);

    // With the standby's replay paused, an acknowledged change is on the primary but not yet
    // in what the API reads.
    await standby.pauseReplay();
    expect((await callback('rr-task', 'rr-1', 4)).body.outcome).toBe('recorded');
    const p = new Client({ connectionString: primaryUrl });
    await p.connect();
    const [{ status }] = (await p.query(`SELECT status FROM drive WHERE drive_id = 'rr-1'`)).rows;
    expect(status).toBe(4);
    expect((await service.request('GET', '/tasks/rr-task/drives/rr-1')).body.status).toBe('playing');
    expect((await service.request('GET', '/reports/failures?taskId=rr-task')).body.totals.finished).toBe(0);

    // A registration answers from the primary: the drive it just wrote, whatever the standby says.
    const registered = await service.request('POST', '/tasks/rr-task/drives', { body: { driveId: 'rr-2' } });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ driveId: 'rr-2', status: 'queued' });
    expect((await service.request('GET', '/tasks/rr-task/drives/rr-2')).status).toBe(404);

    await standby.resumeReplay();
    await eventually(
      async () => (await service.request('GET', '/tasks/rr-task/drives/rr-1')).body.status === 'finished',
      10_000,
    );
    expect((await service.request('GET', '/reports/failures?taskId=rr-task')).body.totals.finished).toBe(1);
    expect((await service.request('GET', '/tasks/rr-task/drives/rr-2')).status).toBe(200);

    // The sync lease is on the primary (the standby could not hold what the primary coordinates).
    await eventually(async () => {
      const [{ n }] = (await p.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`)).rows;
      return n === 1;
    }, 10_000);
    await p.end();
  }, 60_000);
});
