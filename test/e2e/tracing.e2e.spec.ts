import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { ZegoSimulator } from '../../src/simulator/simulator.server';
import { driveCallback } from '../support/callbacks';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually, TEST_APP_ID, TEST_SERVER_SECRET } from '../support/harness';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';
import { serviceEnv, ServiceProcess, startService } from '../support/processes';
import { WebhookReceiver } from '../support/webhook-receiver';

const CALLBACK_SECRET = 'tracing-callback-secret-0123';

/**
 * OpenTelemetry as a collector sees it: the built service as a process (the SDK must start before
 * the modules it instruments are loaded), exporting OTLP/HTTP to a receiver on loopback.
 */
describe('tracing (OTLP/HTTP)', () => {
  let db: TestDatabase;
  let sim: ZegoSimulator;
  let receiver: OtlpReceiver;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new ZegoSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET, initDelayMs: 0 });
    await sim.listen(0);
    receiver = new OtlpReceiver();
    const endpoint = await receiver.listen();
    service = await startService(
      serviceEnv(db.url, sim.url, {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        // The test's webhook receiver is on loopback, which the egress policy refuses unless told otherwise.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // Every trace (the default samples one in ten).
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'drive-status-test',
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        POLL_INTERVAL_MS: '200',
        LOG_LEVEL: 'info',
      }),
    );
  });

  afterAll(async () => {
    await service?.kill();
    await receiver?.close();
    await sim?.close();
    await db?.drop();
  });

  const spansNamed = (name: string) => receiver.spans.filter((s) => s.name === name);

  it('a request: a server span named after its route, a database statement under it, its trace id in the log', async () => {
    const task = sim.engine.createTask();
    const res = await service.request('PUT', `/tasks/${task.taskId}`);
    expect(res.status).toBe(201);

    const server = await eventually(() =>
      receiver.spans.find((s) => s.kind === 2 && s.attributes['http.route'] === '/tasks/:taskId'),
    );
    expect(server.name).toBe('PUT /tasks/:taskId');
    expect(server.service).toBe('drive-status-test');
    expect(server.attributes['http.response.status_code'] ?? server.attributes['http.status_code']).toBe(201);

    const statement = await eventually(() =>
      receiver.spans.find((s) => s.attributes['db.system.name'] === 'postgresql' && receiver.descendsFrom(s, server)),
    );
    expect(statement.traceId).toBe(server.traceId);

    // The access log line of that request carries its trace and span ids.
    const line = await eventually(() =>
      service
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => (l.req as { url?: string } | undefined)?.url === `/tasks/${task.taskId}` && l.res),
    );
    expect(line.trace_id).toBe(server.traceId);
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a ZEGO call: one span per attempt with action, attempt and return code; the signature never in a span', async () => {
    const task = sim.engine.createTask();
    sim.engine.drive(task.taskId, 'text');
    await service.request('PUT', `/tasks/${task.taskId}`);
    const call: ReceivedSpan = await eventually(() =>
      spansNamed('ZEGO GetDriveStatus').find((s) => s.attributes['zego.return_code'] === '0'),
    );
    expect(call.attributes['zego.action']).toBe('GetDriveStatus');
    expect(call.attributes['zego.attempt']).toBe(1);
    // The HTTP request to ZEGO is a child of the attempt.
    const http = await eventually(() =>
      receiver.spans.find((s) => s.kind === 3 && s.parentSpanId === call.spanId && s.attributes['url.full']),
    );
    expect(String(http.attributes['url.full'])).toContain('Action=GetDriveStatus');
    expect(String(http.attributes['url.full'])).not.toMatch(/Signature=[0-9a-f]/);
    expect(JSON.stringify(receiver.spans)).not.toContain(TEST_SERVER_SECRET);
  });

  it('callbacks written together: a group-commit span linked to each callback request, its statements under it', async () => {
    const task = sim.engine.createTask();
    await service.request('PUT', `/tasks/${task.taskId}`);
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((d) =>
        service.request('POST', '/callbacks/zego', { body: driveCallback(CALLBACK_SECRET, task.taskId, d, 1) }),
      ),
    );
    for (const a of answers) expect(a.status).toBe(200);
    const requests = await eventually(() => {
      const found = receiver.spans.filter((s) => s.kind === 2 && s.attributes['http.route'] === '/callbacks/zego');
      return found.length >= 3 && found;
    });
    const batches = await eventually(() => {
      const linked = spansNamed('group commit').filter((b) =>
        b.links.some((l) => requests.some((r) => r.traceId === l.traceId)),
      );
      const carried = linked.reduce((n, b) => n + b.links.length, 0);
      return carried >= 3 && linked;
    });
    for (const batch of batches) {
      // Its own trace, one link per callback it carried, and its statements in it.
      expect(batch.parentSpanId).toBeUndefined();
      expect(batch.attributes['group_commit.size']).toBe(batch.links.length);
      await eventually(() =>
        receiver.spans.some((s) => s.attributes['db.system.name'] === 'postgresql' && receiver.descendsFrom(s, batch)),
      );
    }
    // Its statements are named, not written out: no SQL text to carry, and none of the values
    // (task and drive ids, signatures) the inlined ones hold.
    const statements = await eventually(() => {
      const found = receiver.spans.filter(
        (s) => s.attributes['db.system.name'] === 'postgresql' && batches.some((b) => receiver.descendsFrom(s, b)),
      );
      return found.length >= 3 && found;
    });
    const texts = statements.map((s) => String(s.attributes['db.query.text']));
    expect(texts).toContain('BEGIN; /* batch-lock-tasks */; /* batch-read-drives */; /* batch-claim-receipts */');
    expect(texts).toContain('/* observation-batch-write */');
    expect(JSON.stringify(statements)).not.toContain(task.taskId);
  });

  it('a webhook attempt: a span with the endpoint, event and attempt, its HTTP request without the URL path', async () => {
    const receiver2 = await new WebhookReceiver().start();
    try {
      const secretPath = '/hooks/T000/B000/token-in-the-path';
      const created = await service.request('POST', '/webhooks', { body: { url: `${receiver2.url}${secretPath}` } });
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;
      expect((await service.request('POST', `/webhooks/${id}/test`)).status).toBeLessThan(300);
      await eventually(() => receiver2.events('webhook.test').length > 0);
      const attempt = await eventually(() =>
        spansNamed('webhook delivery').find((s) => s.attributes['webhook.id'] === id),
      );
      expect(attempt.attributes).toMatchObject({ 'webhook.attempt': 1, 'webhook.delivered': true });
      expect(attempt.attributes['http.response.status_code']).toBe(204);
      expect(attempt.attributes['webhook.event_id']).toBe(receiver2.events('webhook.test')[0].body.id);
      const http = await eventually(() => receiver.spans.find((s) => s.parentSpanId === attempt.spanId));
      expect(String(http.attributes['url.full'])).toBe(`${receiver2.url}/[redacted]`);
      expect(JSON.stringify(receiver.spans)).not.toContain('token-in-the-path');
    } finally {
      await receiver2.close();
    }
  });

  it('probes and scrapes make no traces', async () => {
    await service.request('GET', '/health/live');
    await service.request('GET', '/metrics');
    await service.request('GET', '/status');
    await eventually(() => receiver.spans.some((s) => s.attributes['http.route'] === '/status'));
    expect(
      receiver.spans.filter((s) => ['/health/live', '/metrics'].includes(String(s.attributes['http.route']))),
    ).toEqual([]);
  });
});

/**
 * What sampling leaves out costs (almost) nothing because nothing is made for it: a request the
 * sampler does not keep runs with tracing suppressed, so neither its server span, nor its database
 * statements, nor its ZEGO calls, nor a group-commit batch that carried only such requests make a
 * span. Nothing is sampled here (parentbased_always_off) except what a caller's traceparent asks for.
 */
describe('tracing (OTLP/HTTP): unsampled requests make no spans', () => {
  let db: TestDatabase;
  let sim: ZegoSimulator;
  let receiver: OtlpReceiver;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = new ZegoSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET, initDelayMs: 0 });
    await sim.listen(0);
    receiver = new OtlpReceiver();
    const endpoint = await receiver.listen();
    service = await startService(
      serviceEnv(db.url, sim.url, {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_always_off',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        ZEGO_CALLBACK_SECRET: CALLBACK_SECRET,
        // Long enough for two callbacks sent together to share a batch.
        GROUP_COMMIT_WINDOW_MS: '50',
        LOG_LEVEL: 'info',
      }),
    );
  });

  afterAll(async () => {
    await service?.kill();
    await receiver?.close();
    await sim?.close();
    await db?.drop();
  });

  it('only the requests whose caller sampled them are traced, with their statements and their batch', async () => {
    const sampled = (traceId: string) => ({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const notSampled = sim.engine.createTask();
    const traced = sim.engine.createTask();
    // Left out: a task added (a database write and a ZEGO call), a callback for it (a batch).
    expect((await service.request('PUT', `/tasks/${notSampled.taskId}`)).status).toBe(201);
    const cb = driveCallback(CALLBACK_SECRET, notSampled.taskId, 'left-out', 1);
    expect((await service.request('POST', '/callbacks/zego', { body: cb })).status).toBe(200);
    // Kept: the same two, each with a sampled traceparent.
    const putTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const cbTrace = '5bf92f3577b34da6a3ce929d0e0e4737';
    expect((await service.request('PUT', `/tasks/${traced.taskId}`, { headers: sampled(putTrace) })).status).toBe(201);
    const cb2 = driveCallback(CALLBACK_SECRET, traced.taskId, 'kept', 1);
    expect((await service.request('POST', '/callbacks/zego', { body: cb2, headers: sampled(cbTrace) })).status).toBe(
      200,
    );

    const server = await eventually(() =>
      receiver.spans.find(
        (s) => s.kind === 2 && s.traceId === putTrace && s.attributes['http.route'] === '/tasks/:taskId',
      ),
    );
    await eventually(() =>
      receiver.spans.find((s) => s.attributes['db.system.name'] === 'postgresql' && receiver.descendsFrom(s, server)),
    );
    const batch = await eventually(() =>
      spansNamedIn(receiver, 'group commit').find((b) => b.links.some((l) => l.traceId === cbTrace)),
    );
    await eventually(() =>
      receiver.spans.some((s) => s.attributes['db.system.name'] === 'postgresql' && receiver.descendsFrom(s, batch)),
    );
    await eventually(() => receiver.spans.some((s) => s.kind === 2 && s.traceId === cbTrace));

    // Every span received belongs to one of the two sampled requests or to the batch that carried one.
    const strays = receiver.spans.filter((s) => ![putTrace, cbTrace, batch.traceId].includes(s.traceId));
    expect(strays.map((s) => s.name)).toEqual([]);
    expect(JSON.stringify(receiver.spans)).not.toContain(notSampled.taskId);
    expect(batch.links.map((l) => l.traceId)).toEqual([cbTrace]);
  });

  it('a batch opened by an unsampled callback is still traced when it carries a sampled one', async () => {
    const task = sim.engine.createTask();
    expect((await service.request('PUT', `/tasks/${task.taskId}`)).status).toBe(201);
    const trace = '6bf92f3577b34da6a3ce929d0e0e4738';
    // The unsampled callback arrives first and opens the batch (its timer runs in its context).
    const first = service.request('POST', '/callbacks/zego', {
      body: driveCallback(CALLBACK_SECRET, task.taskId, 'opens', 1),
    });
    await new Promise((r) => setTimeout(r, 10));
    const second = service.request('POST', '/callbacks/zego', {
      body: driveCallback(CALLBACK_SECRET, task.taskId, 'joins', 1),
      headers: { traceparent: `00-${trace}-00f067aa0ba902b7-01` },
    });
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    const batch = await eventually(() =>
      spansNamedIn(receiver, 'group commit').find((b) => b.links.some((l) => l.traceId === trace)),
    );
    expect(batch.attributes['group_commit.size']).toBe(2);
    await eventually(() =>
      receiver.spans.some((s) => s.attributes['db.system.name'] === 'postgresql' && receiver.descendsFrom(s, batch)),
    );
  });

  it('a callback whose body arrives after its headers is still handled in its trace (linked from its batch)', async () => {
    const task = sim.engine.createTask();
    expect((await service.request('PUT', `/tasks/${task.taskId}`)).status).toBe(201);
    const trace = '7bf92f3577b34da6a3ce929d0e0e4739';
    const body = JSON.stringify(driveCallback(CALLBACK_SECRET, task.taskId, 'slow-body', 1));
    // The headers go first and the body 100 ms later, in a packet of its own: the handler then starts
    // from the body's 'end' event, outside the context the request arrived in.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${service.url}/callbacks/zego`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          traceparent: `00-${trace}-00f067aa0ba902b7-01`,
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.flushHeaders();
      setTimeout(() => req.end(body), 100);
    });
    expect(status).toBe(200);
    const server = await eventually(() => receiver.spans.find((s) => s.kind === 2 && s.traceId === trace));
    expect(server.name).toBe('POST /callbacks/zego');
    await eventually(() =>
      spansNamedIn(receiver, 'group commit').find((b) => b.links.some((l) => l.traceId === trace)),
    );
  });
});

/**
 * Spans are exported from a worker thread (src/tracing/worker-span-processor.ts). At SIGTERM the
 * service waits for it to export what it holds: a span still in the batch processor's queue (its
 * delay set far beyond the test) reaches the collector before the process exits.
 */
describe('tracing (OTLP/HTTP): shutdown', () => {
  it('spans not yet exported are sent at SIGTERM, before the process exits', async () => {
    const db = await createTestDatabase();
    const sim = new ZegoSimulator({ appId: TEST_APP_ID, serverSecret: TEST_SERVER_SECRET, initDelayMs: 0 });
    await sim.listen(0);
    const receiver = new OtlpReceiver();
    const endpoint = await receiver.listen();
    const service = await startService(
      serviceEnv(db.url, sim.url, {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_always_off',
        // Nothing would be exported for ten minutes but for the shutdown.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        LOG_LEVEL: 'info',
      }),
    );
    try {
      const trace = randomBytes(16).toString('hex');
      const res = await service.request('GET', '/tasks/no-such-task/drives', {
        headers: { traceparent: `00-${trace}-${trace.slice(0, 16)}-01` },
      });
      expect(res.status).toBe(404);
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.spans.filter((s) => s.traceId === trace)).toEqual([]);
      expect(await service.kill('SIGTERM')).toBe(0);
      const mine = receiver.spans.filter((s) => s.traceId === trace);
      expect(mine.map((s) => s.name)).toContain('GET /tasks/:taskId/drives');
      expect(mine.some((s) => s.attributes['db.system.name'] === 'postgresql')).toBe(true);
    } finally {
      await service.kill();
      await receiver.close();
      await sim.close();
      await db.drop();
    }
  });
});

function spansNamedIn(receiver: OtlpReceiver, name: string): ReceivedSpan[] {
  return receiver.spans.filter((s) => s.name === name);
}
