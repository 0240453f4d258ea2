import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { serviceEnv } from '../support/processes';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** The built service as a real process (npm test builds it first). */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('the service as a process', () => {
  let db: TestDatabase;
  let sim: ZegoSimulator;
  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new ZegoSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET });
    await sim.listen(0);
  });
  afterAll(async () => {
    await sim.close();
    await db.drop();
  });

  it('refuses to start on a bad setting, naming it and not its secret neighbours', async () => {
    const p = start({
      PORT: 'eighty',
      ZEGO_APP_ID: TEST_APP_ID,
      ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
      DATABASE_URL: db.url,
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/PORT/);
    expect(p.output()).not.toContain(TEST_SERVER_SECRET);
  });

  it('refuses to start in production without API keys', async () => {
    const p = start({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      ZEGO_APP_ID: TEST_APP_ID,
      ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/API_KEYS must be set/);
  });

  it('refuses to start with ZEGO credentials and no API keys unless told the API is meant to be open', async () => {
    const p = start({
      DATABASE_URL: db.url,
      ZEGO_APP_ID: TEST_APP_ID,
      ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
      NODE_ENV: 'development',
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/API_KEYS must be set when ZEGO credentials are \(or API_OPEN=true/);
    expect(p.output()).not.toContain(TEST_SERVER_SECRET);
  });

  it('refuses to start on a bad API_KEYS entry, naming the entry and never the key', async () => {
    const key = 'a-key-that-must-not-leak-0123';
    const p = start({
      DATABASE_URL: db.url,
      ZEGO_APP_ID: TEST_APP_ID,
      ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
      API_KEYS: `read:${key}x,reader:${key}`,
    });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('API_KEYS entry 2 has an unknown scope before its colon');
    expect(p.output()).not.toContain(key);
  });

  it('shuts down cleanly on SIGTERM within 10 seconds', async () => {
    const port = await freePort();
    const p = start(serviceEnv(db.url, sim.url, { PORT: String(port), POLL_INTERVAL_MS: '200' }));
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok,
      30_000,
    );
    const task = sim.engine.createTask();
    await fetch(`http://127.0.0.1:${port}/tasks/${task.taskId}`, { method: 'PUT' });
    await eventually(
      async () =>
        (
          (await (await fetch(`http://127.0.0.1:${port}/tasks/${task.taskId}`)).json()) as {
            lastSyncedAt: string | null;
          }
        ).lastSyncedAt,
    );
    const stopping = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(p.output()).toMatch(/SIGTERM: shutting down/);
    expect(p.output()).not.toContain(TEST_SERVER_SECRET);
  });

  it('stops when npm start is sent SIGTERM (a process manager stopping `npm start`)', async () => {
    // npm runs the start script through `sh -c` and forwards the signal to that shell; unless the
    // script execs Node, the shell dies of it and the service runs on, orphaned.
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: join(__dirname, '..', '..'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'test',
        ...serviceEnv(db.url, sim.url, { PORT: String(port) }),
      },
      stdio: 'ignore',
    });
    const npmExited = new Promise((resolve) => npm.once('exit', resolve));
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.ok === true;
    await eventually(ready, 60_000);
    npm.kill('SIGTERM');
    await npmExited;
    await eventually(async () => !(await ready()), 10_000);
  }, 90_000);
});
