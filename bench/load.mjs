// Load generator, run as its own process so it does not share a CPU queue with what it measures.
// Input: a JSON job on argv[2]; output: autocannon's result as JSON on stdout.
// Callbacks: see signedCallback.
//   { url, connections, duration, amount?, method?, headers?, callbacks?: { secret, appId, tasks } }
import autocannon from 'autocannon';
import signature from '../dist/zego/zego-signature.js';

// The service's own signing (built by `npm run bench`), so the benchmark signs as tests and ZEGO do.
const { signCallback } = signature;

const job = JSON.parse(process.argv[2]);
let counter = 0;

function signedCallback() {
  const { secret, appId, tasks } = job.callbacks;
  const n = counter++;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = `${process.pid}${n}`;
  // Each drive's life in three events: queued, playing, then failed (one in five) or finished. In
  // blocks of 500 drives: 500 queued events, then their 500 playing ones, then their ends, so a
  // drive's events are hundreds of requests apart (never reordered by the 50 connections): every
  // event is a status change, and each end adds a queue wait and a play time to the histograms.
  const K = 500;
  const block = Math.floor(n / (3 * K));
  const phase = Math.floor((n % (3 * K)) / K);
  const drive = block * K + (n % K);
  const status = phase < 2 ? phase + 1 : drive % 5 === 0 ? 3 : 4;
  return JSON.stringify({
    AppId: Number(appId),
    EventType: 4,
    Nonce: nonce,
    Timestamp: timestamp,
    Signature: signCallback(secret, timestamp, nonce),
    EventTime: Date.now(),
    TaskId: `cb-task-${drive % tasks}`,
    Detail: { DriveId: `cb-drive-${process.pid}-${drive}`, Status: status },
  });
}

const instance = autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.duration,
  // A fixed number of requests instead of a duration, when given (autocannon then ignores the duration).
  ...(job.amount ? { amount: job.amount } : {}),
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
