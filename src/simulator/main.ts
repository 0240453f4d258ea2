import { ZegoSimulator } from './simulator.server';

/** `npm run simulator`: the ZEGO simulator on its own, configured by SIM_* variables. */
async function main(): Promise<void> {
  const simulator = new ZegoSimulator({
    appId: process.env.SIM_APP_ID ?? '1234567890',
    serverSecret: process.env.SIM_SERVER_SECRET ?? 'simulator-server-secret-0123456789',
    rateLimit: Number(process.env.SIM_RATE_LIMIT ?? 10),
    failureRate: Number(process.env.SIM_FAILURE_RATE ?? 0.1),
  });
  const url = await simulator.listen(Number(process.env.SIM_PORT ?? 4010), process.env.SIM_HOST ?? '127.0.0.1');
  console.log(
    `ZEGO simulator listening on ${url} (AppId ${simulator.options.appId}; the secret is SIM_SERVER_SECRET or the built-in default)`,
  );
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
