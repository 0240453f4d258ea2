import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface PrivatePostgres {
  serverUrl: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL of one test's own (the embedded server, cluster under `dir`), in a separate process
 * (Jest's sandbox cannot load the package), so it can be stopped and started again.
 */
export async function startPrivatePostgres(dir: string, port?: number): Promise<PrivatePostgres> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'embedded-pg-server.mjs'), dir, ...(port ? [String(port)] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const serverUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`PostgreSQL did not start (${code})`)));
  });
  return {
    serverUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
