import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { grants } from './config/api-keys';
import { applyMigrations, EmbeddedDatabase, ensureDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import type { Tracing } from './tracing/tracing';
import type { ZegoSimulator } from './simulator/simulator.server';
import type { ZegoClientOptions } from './zego/zego.client';

/** Start-up messages, before the application (and its logger) exists: same format as its logs. */
const logger = pino({
  base: { context: 'Main' },
  ...(process.stdout.isTTY && process.env.NODE_ENV !== 'production'
    ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } }
    : {}),
});

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      logger.error(err.message);
      exitAfterFlush(1);
      return;
    }
    throw err;
  }

  // Tracing first, when asked for: its instrumentations patch http and undici as they are loaded,
  // so the application's modules are imported only after it has started. Off, the SDK is never
  // loaded.
  let tracing: Tracing | undefined;
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) {
    try {
      tracing = (await import('./tracing/tracing.js')).startTracing(process.env, (m) => logger.warn(m));
    } catch (err) {
      // A sampler setting the SDK could not follow (OTEL_TRACES_SAMPLER, _ARG): said, not ignored.
      if (!(err instanceof ConfigError)) throw err;
      logger.error(err.message);
      exitAfterFlush(1);
      return;
    }
    logger.info(`tracing on: spans go to ${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/\/[^@/]+@/, '//***@')}`);
  }
  const [{ createApp }, { DemoDriver }, { DemoRelay }, { DrivesService }, { ZegoSimulator }] = await Promise.all([
    import('./app/create-app.js'),
    import('./demo/demo.driver.js'),
    import('./demo/demo.relay.js'),
    import('./drives/drives.service.js'),
    import('./simulator/simulator.server.js'),
  ]);

  const cleanups: Array<() => Promise<unknown>> = [];
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const embedded: EmbeddedDatabase = await startEmbeddedPostgres(config.DATA_DIR);
    cleanups.push(() => embedded.stop());
    databaseUrl = await ensureDatabase(embedded.serverUrl, 'drive_status');
    logger.info(`DATABASE_URL is not set: using the embedded PostgreSQL with its data in ${config.DATA_DIR}/`);
  }
  logger.info(await applyMigrations(databaseUrl));

  let simulator: ZegoSimulator | undefined;
  let zego: ZegoClientOptions;
  if (config.demoMode) {
    const appId = '1234567890';
    const serverSecret = randomBytes(16).toString('hex');
    simulator = new ZegoSimulator({ appId, serverSecret, rateLimit: 10, failureRate: config.DEMO_FAILURE_RATE });
    const url = await simulator.listen(0);
    cleanups.unshift(() => simulator!.close());
    zego = { baseUrl: url, appId, serverSecret, ...config.zegoTuning };
    logger.warn(
      `DEMO MODE: ZEGO_APP_ID and ZEGO_SERVER_SECRET are not set, so the service is tracking the built-in ZEGO simulator at ${url}, not ZEGO`,
    );
  } else {
    zego = {
      baseUrl: config.ZEGO_API_URL,
      appId: config.ZEGO_APP_ID!,
      serverSecret: config.ZEGO_SERVER_SECRET!,
      ...config.zegoTuning,
    };
  }
  if (!config.apiKeys.length) {
    logger.warn(
      `API_KEYS is not set: the API is open to anyone who can reach it${config.API_OPEN ? ' (API_OPEN=true)' : ' (demo mode)'}`,
    );
  } else {
    // By scope and fingerprint (never the key): which keys this replica accepts, for rotations.
    logger.info(`API keys: ${config.apiKeys.map((k) => `${k.scope}:${k.fingerprint}`).join(', ')}`);
  }

  const app = await createApp({ config, databaseUrl, zego });
  await app.listen(config.PORT, '0.0.0.0');
  logger.info(`drive-status listening on http://localhost:${config.PORT}`);

  if (simulator) {
    const demo = new DemoDriver(simulator.engine, app.get(DrivesService));
    await demo.start();
    cleanups.unshift(() => Promise.resolve(demo.stop()));
    // The relay posts to an ingest route: it needs a key that may write (when keys are set at all).
    const relayKey = config.apiKeys.find((k) => grants(k.scope, 'write'))?.key;
    const relay = new DemoRelay(simulator.room, `http://127.0.0.1:${config.PORT}`, relayKey);
    relay.start();
    cleanups.unshift(() => relay.stop());
  }

  // Spans are sent last, with whatever time the shutdown has left: a collector that is down (its
  // exporter retries for OTEL_EXPORTER_OTLP_TIMEOUT) must not hold up the database's stop, nor turn
  // a clean exit into a forced one.
  let deadline = Infinity;
  const started = tracing;
  if (started) {
    cleanups.push(async () => {
      let timer: NodeJS.Timeout | undefined;
      const left = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
      const flushed = await Promise.race([started.shutdown().then(() => true), left.then(() => false)]);
      clearTimeout(timer);
      if (!flushed) logger.warn('tracing: spans not exported within the shutdown time were dropped');
    });
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: shutting down`);
    const timer = setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS - 500;
    // One path: stop taking requests (those in progress finish and commit), then the app's own
    // shutdown: polls waiting for an upstream slot are dropped, the ones sent finish, the database
    // pool closes last.
    await (app.getHttpAdapter().close() as Promise<void>).catch((err: Error) =>
      logger.warn(`closing the HTTP server: ${err.message}`),
    );
    await app.close().catch((err: Error) => logger.error(err.message));
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    logger.info('stopped');
    exitAfterFlush(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Exits once the log lines written so far are out (a pretty-printing transport is asynchronous). */
function exitAfterFlush(code: number): void {
  setTimeout(() => process.exit(code), 500).unref();
  logger.flush(() => process.exit(code));
}

main().catch((err: Error) => {
  logger.error(`start-up failed: ${err.message.replace(/\/\/[^@\s]+@/g, '//***@')}`);
  exitAfterFlush(1);
});
