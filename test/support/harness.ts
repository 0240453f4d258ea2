import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/app-config';
import { ZegoSimulator, SimulatorOptions } from '../../src/simulator/simulator.server';
import { SyncScheduler } from '../../src/sync/sync.scheduler';
import { createTestDatabase, TestDatabase } from './database';

import { TEST_APP_ID, TEST_SERVER_SECRET } from './account';

export { TEST_APP_ID, TEST_SERVER_SECRET };

/** Keeps every log line the service writes, so tests can look for what must (not) be logged. */
export class LogCapture {
  readonly lines: string[] = [];
  private partial = '';
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      const text = this.partial + chunk.toString('utf8');
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line) continue;
        this.lines.push(line);
        if (process.env.TEST_LOGS) console.log(line);
      }
      done();
    },
  });

  /** Parsed JSON lines. */
  get entries(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export interface Harness {
  baseUrl: string;
  app: NestFastifyApplication;
  simulator: ZegoSimulator;
  db: TestDatabase;
  logs: LogCapture;
  scheduler: SyncScheduler;
  request(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

/** A real service on a real port, against a real database and the simulator over real HTTP. */
export async function startHarness(
  options: { env?: Record<string, string>; simulator?: Partial<SimulatorOptions> } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const simulator = new ZegoSimulator({
    appId: TEST_APP_ID,
    serverSecret: TEST_SERVER_SECRET,
    rateLimit: 10,
    failureRate: 0.2,
    driveDurationMs: [150, 400],
    initDelayMs: 50,
    ...options.simulator,
  });
  const simulatorUrl = await simulator.listen(0);
  const config = loadConfig({
    NODE_ENV: 'test',
    ZEGO_APP_ID: TEST_APP_ID,
    ZEGO_SERVER_SECRET: TEST_SERVER_SECRET,
    ZEGO_API_URL: simulatorUrl,
    ZEGO_TIMEOUT_MS: '1000',
    POLL_INTERVAL_MS: '300',
    IDLE_POLL_INTERVAL_MS: '1000',
    MAX_RETRY_DELAY_MS: '2000',
    DISCOVERY_INTERVAL_S: '0',
    LOG_LEVEL: 'debug',
    API_OPEN: 'true',
    ...options.env,
  });
  const logs = new LogCapture();
  const app = await createApp({
    config,
    databaseUrl: db.url,
    zego: { baseUrl: simulatorUrl, appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET, ...config.zegoTuning },
    logStream: logs.stream,
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    baseUrl,
    app,
    simulator,
    db,
    logs,
    scheduler: app.get(SyncScheduler),
    async request(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(baseUrl + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      await app.close();
      await simulator.close();
      await db.drop();
    },
  };
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
