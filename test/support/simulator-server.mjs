// The ZEGO simulator in a process of its own, for tests whose timing must not suffer the test
// runner's pauses (garbage collection in a long Jest run can hold an in-process server for tens of
// milliseconds, which would bunch up arrivals and trip the strict one-second window).
//   node test/support/simulator-server.mjs '<options JSON>'
// Prints {"url","control"} once listening. The control port (loopback only, test use) offers:
//   POST /tasks {count}            -> [taskId]        create running tasks
//   POST /drive-loop {taskIds, probability, everyMs}  keep adding drives at random
//   GET  /stats                    -> the simulator's stats
import { createServer } from 'node:http';
import simulatorModule from '../../dist/simulator/simulator.server.js';

const sim = new simulatorModule.ZegoSimulator(JSON.parse(process.argv[2]));
const url = await sim.listen(0);
let loop;
const control = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const input = body ? JSON.parse(body) : {};
    const send = (value) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.method === 'POST' && req.url === '/tasks')
      return send(Array.from({ length: input.count }, () => sim.engine.createTask().taskId));
    if (req.method === 'POST' && req.url === '/drive-loop') {
      clearInterval(loop);
      loop = setInterval(() => {
        for (const id of input.taskIds) {
          const task = sim.engine.allTasks().find((t) => t.taskId === id);
          if (task?.status === 3 && Math.random() < input.probability) sim.engine.drive(id, 'text');
        }
      }, input.everyMs);
      return send({ ok: true });
    }
    if (req.method === 'GET' && req.url === '/stats') return send(sim.stats);
    res.writeHead(404).end();
  });
});
control.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ url, control: `http://127.0.0.1:${control.address().port}` })}\n`),
);
process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
