// Runs the embedded PostgreSQL in a process of its own (Jest's sandbox cannot load the package):
//   node test/support/embedded-pg-server.mjs <dir> [port]
// Prints the server URL once ready; stops the server on SIGTERM.
import helpers from '../../dist/database/embedded-postgres.js';

const [dir, port] = process.argv.slice(2);
const pg = await helpers.startEmbeddedPostgres(dir, port ? { port: Number(port) } : {});
process.stdout.write(`${pg.serverUrl}\n`);
const stop = () => pg.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
