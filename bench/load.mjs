// Load generator, run as its own process so it does not share a CPU queue with what it measures.
// Input: a JSON job on argv[2]; output: autocannon's result as JSON on stdout.
//   { url, connections, duration, method?, headers?, callbacks?: { secret, appId, tasks } }
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';

const job = JSON.parse(process.argv[2]);
let counter = 0;

function signedCallback() {
  const { secret, appId, tasks } = job.callbacks;
  const n = counter++;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = `${process.pid}${n}`;
  const signature = createHash('sha1').update([secret, timestamp, nonce].sort().join('')).digest('hex');
  return JSON.stringify({
    AppId: Number(appId),
    EventType: 4,
    Nonce: nonce,
    Timestamp: timestamp,
    Signature: signature,
    EventTime: Date.now(),
    TaskId: `cb-task-${n % tasks}`,
    Detail: { DriveId: `cb-drive-${process.pid}-${n}`, Status: 1 + (n % 4) },
  });
}

const instance = autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.duration,
  method: job.method ?? 'GET',
  headers: job.headers ?? {},
  requests: job.callbacks
    ? [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(job.headers ?? {}) },
          setupRequest: (req) => ({ ...req, body: signedCallback() }),
        },
      ]
    : undefined,
});
instance.on('done', (result) => {
  process.stdout.write(JSON.stringify(result));
});
