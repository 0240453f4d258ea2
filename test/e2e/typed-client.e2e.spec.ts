import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AlertRule,
  ApiError,
  CreatedWebhook,
  SIGNATURE_HEADER,
  verifyWebhook,
  WebhookEvent,
  createDriveStatusClient,
  Drive,
  DriveDetail,
  DriveStatus,
  DriveStatusClient,
  Task,
} from '../../client';
import { eventually, Harness, startHarness } from '../support/harness';

const KEY = 'typed-client-key-0123456789abcdef';

/**
 * The generated client (client/) against the real service: every call below is type-checked
 * against openapi.json by `npm run typecheck`, and its answers are checked here at run time, so
 * the client cannot drift from what the service does.
 */
describe('typed client (openapi-fetch + the generated schema)', () => {
  let h: Harness;
  let api: DriveStatusClient;
  let taskId: string;
  const driveIds: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ env: { API_KEYS: KEY, RATE_LIMIT_PER_MINUTE: '0', WEBHOOK_ALLOW_PRIVATE: 'true' } });
    api = createDriveStatusClient({ baseUrl: `${h.baseUrl}/`, apiKey: KEY });
    taskId = h.simulator.engine.createTask().taskId;
  });
  afterAll(() => h.close());

  it('tracks a task: 201 the first time, 200 after, typed as a Task', async () => {
    const first = await api.PUT('/tasks/{taskId}', { params: { path: { taskId } } });
    expect(first.response.status).toBe(201);
    const task: Task | undefined = first.data;
    expect(task).toMatchObject({ taskId, tracking: true, source: 'manual' });
    const again = await api.PUT('/tasks/{taskId}', { params: { path: { taskId } } });
    expect(again.response.status).toBe(200);
    expect(again.data?.createdAt).toBe(task?.createdAt);
  });

  it('follows drives to their end through the task, the drive page and each drive’s history', async () => {
    // Let the first poll see the task running before it speaks.
    await eventually(
      async () => (await api.GET('/tasks/{taskId}', { params: { path: { taskId } } })).data?.lastSyncedAt,
    );
    for (let i = 0; i < 3; i++) driveIds.push(h.simulator.engine.drive(taskId, 'text').driveId);

    const task = await eventually(async () => {
      const { data } = await api.GET('/tasks/{taskId}', { params: { path: { taskId } } });
      return data && data.counts.failed + data.counts.finished === 3 ? data : undefined;
    });
    expect(task.counts).toMatchObject({ queued: 0, playing: 0, total: 3 });

    const page = await api.GET('/tasks/{taskId}/drives', {
      params: { path: { taskId }, query: { status: 'failed,finished', limit: 500 } },
    });
    expect(page.error).toBeUndefined();
    const drives: Drive[] = page.data?.items ?? [];
    expect(drives.map((d) => d.driveId)).toEqual(driveIds);
    expect(page.data?.nextCursor).toBeNull();
    const { failed, finished } = task.counts;
    expect(page.data?.failureRate).toBeCloseTo(failed / (failed + finished));

    for (const drive of drives) {
      const { data } = await api.GET('/tasks/{taskId}/drives/{driveId}', {
        params: { path: { taskId, driveId: drive.driveId } },
      });
      const detail = data as DriveDetail;
      const terminal: DriveStatus[] = ['failed', 'finished'];
      expect(terminal).toContain(detail.status);
      expect(detail.history.length).toBeGreaterThan(0);
      expect(detail.history[0].previousStatus).toBeNull();
      expect(detail.history.at(-1)?.status).toBe(detail.status);
      for (const entry of detail.history) expect(['poll', 'callback']).toContain(entry.source);
    }
  });

  it('lists tasks page by page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const { data, error } = await api.GET('/tasks', { params: { query: { limit: 1, cursor } } });
      if (error) throw new Error(error.message);
      seen.push(...data.items.map((t) => t.taskId));
      cursor = data.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toContain(taskId);
  });

  it('gives failure counts, history and reports that add up', async () => {
    const { data: task } = await api.GET('/tasks/{taskId}', { params: { path: { taskId } } });
    const failures = await api.GET('/tasks/{taskId}/failures', { params: { path: { taskId }, query: {} } });
    expect(failures.data?.interval).toBe('hour');
    expect(failures.data?.buckets).toHaveLength(7 * 24);
    const sum = (key: 'failed' | 'finished') => failures.data?.buckets.reduce((n, b) => n + b[key], 0);
    expect({ failed: sum('failed'), finished: sum('finished') }).toEqual({
      failed: task?.counts.failed,
      finished: task?.counts.finished,
    });

    const history = await api.GET('/tasks/{taskId}/history', { params: { path: { taskId }, query: { limit: 500 } } });
    const items = history.data?.items ?? [];
    expect(new Set(items.map((i) => i.driveId))).toEqual(new Set(driveIds));
    expect(items.filter((i) => i.status === 'failed' || i.status === 'finished')).toHaveLength(3);

    const report = await api.GET('/reports/failures', { params: { query: { taskId, interval: 'day' } } });
    expect(report.data?.totals).toMatchObject({ failed: task?.counts.failed, finished: task?.counts.finished });
    const top = await api.GET('/reports/tasks', { params: { query: { sort: 'failures', limit: 10 } } });
    expect(top.data?.items.map((i) => i.taskId)).toContain(taskId);
    // Timings: a typed duration report, and the drives' own durations.
    const play = await api.GET('/reports/durations', {
      params: { query: { metric: 'play', taskId, interval: 'day' } },
    });
    const all = await api.GET('/tasks/{taskId}/drives', { params: { path: { taskId }, query: { limit: 500 } } });
    const played = (all.data?.items ?? []).filter((d) => d.playMs !== null).length;
    expect(play.data?.metric).toBe('play');
    expect(play.data?.totals.count).toBe(played);
    const slowest = await api.GET('/reports/tasks', { params: { query: { sort: 'p95PlayMs' } } });
    expect(slowest.data?.sort).toBe('p95PlayMs');

    // CSV is text: the client is told to read it as such.
    const csv = await api.GET('/reports/failures', { params: { query: { taskId, format: 'csv' } }, parseAs: 'text' });
    expect(csv.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.data?.split('\r\n')[0]).toBe('start,failed,finished,failureRate,unresolved');

    const status = await api.GET('/status');
    expect(status.data?.trackedTasks).toBeGreaterThanOrEqual(1);
  });

  it('gives typed error bodies: 404, 400 and 401', async () => {
    const check = (error: ApiError | undefined, statusCode: number, message: RegExp) => {
      expect(error).toEqual({ statusCode, error: expect.any(String), message: expect.stringMatching(message) });
    };
    const unknown = await api.GET('/tasks/{taskId}', { params: { path: { taskId: 'no-such-task' } } });
    expect(unknown.response.status).toBe(404);
    expect(unknown.data).toBeUndefined();
    check(unknown.error, 404, /not tracked/);

    const noDrive = await api.GET('/tasks/{taskId}/drives/{driveId}', {
      params: { path: { taskId, driveId: 'no-such-drive' } },
    });
    check(noDrive.error, 404, /no-such-drive/);

    const badLimit = await api.GET('/tasks', { params: { query: { limit: 0 } } });
    check(badLimit.error, 400, /limit/);
    const badRange = await api.GET('/tasks/{taskId}/failures', {
      params: { path: { taskId }, query: { from: '2026-11-02', to: '2026-11-01' } },
    });
    check(badRange.error, 400, /earlier/);

    const anonymous = createDriveStatusClient({ baseUrl: h.baseUrl });
    check((await anonymous.GET('/tasks')).error, 401, /./);
    // The probes need no key.
    expect((await anonymous.GET('/health/live')).data).toEqual({ status: 'ok' });
  });

  it('sends every request through a fetch of the caller’s choosing', async () => {
    const seen: string[] = [];
    const traced = createDriveStatusClient({
      baseUrl: h.baseUrl,
      apiKey: KEY,
      fetch: (request) => {
        seen.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('authorization')}`);
        return fetch(request);
      },
    });
    const { response } = await traced.DELETE('/tasks/{taskId}', { params: { path: { taskId } } });
    expect(response.status).toBe(204);
    expect(seen).toEqual([`DELETE /tasks/${taskId} Bearer ${KEY}`]);
    const { data } = await traced.GET('/tasks/{taskId}', { params: { path: { taskId } } });
    expect(data?.tracking).toBe(false);
  });

  it('sets up a webhook and an alert rule, typed, and verifies a delivery with the exported helper', async () => {
    const received: Array<{ raw: string; signature: string | null }> = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        received.push({ raw, signature: req.headers[SIGNATURE_HEADER] as string });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const created = await api.POST('/webhooks', { body: { url } });
      const hook: CreatedWebhook | undefined = created.data;
      expect(hook?.secret).toMatch(/^whsec_/);
      const rule = await api.POST('/alert-rules', {
        body: { kind: 'consecutive_failures', threshold: 5, webhookIds: [hook!.id] },
      });
      const view: AlertRule | undefined = rule.data;
      expect(view).toMatchObject({ kind: 'consecutive_failures', threshold: 5, taskId: null });
      // The lists of rules, webhooks and silences are paged like the others.
      const rules = await api.GET('/alert-rules', { params: { query: { limit: 1 } } });
      expect(rules.data?.items.map((r) => r.id)).toEqual([view!.id]);
      const nextRules: string | null | undefined = rules.data?.nextCursor;
      expect(nextRules).toBeNull();
      const hooks = await api.GET('/webhooks', { params: { query: { limit: 1 } } });
      expect(hooks.data?.items).toHaveLength(1);
      const silences = await api.GET('/silences', { params: { query: { limit: 10 } } });
      expect(silences.data).toEqual({ items: [], nextCursor: null });
      const bad = await api.POST('/alert-rules', { body: { kind: 'failure_rate', threshold: 3 } });
      expect(bad.error?.message).toMatch(/threshold must be/);
      await api.POST('/webhooks/{id}/test', { params: { path: { id: hook!.id } } });
      const [delivery] = await eventually(() => received.length > 0 && received);
      const event = JSON.parse(delivery.raw) as WebhookEvent;
      expect(event.type).toBe('webhook.test');
      expect(verifyWebhook(hook!.secret, delivery.raw, delivery.signature ?? undefined)).toBe(true);
      // The attempt is recorded once the receiver has answered, so it may trail the delivery a little.
      const attempts = await eventually(async () => {
        const page = await api.GET('/webhooks/{id}/deliveries', { params: { path: { id: hook!.id } } });
        return page.data?.items.length ? page : undefined;
      });
      expect(attempts.data?.items[0]).toMatchObject({ eventId: event.id, outcome: 'delivered' });
      await api.DELETE('/alert-rules/{id}', { params: { path: { id: view!.id } } });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

/** Compile-time checks only (never called): the client refuses what the API does not accept. */
function _typeChecks(api: DriveStatusClient): void {
  // @ts-expect-error: no such route
  void api.GET('/tasks/{taskId}/nothing', { params: { path: { taskId: 'x' } } });
  // @ts-expect-error: limit is a number
  void api.GET('/tasks', { params: { query: { limit: 'ten' } } });
  // @ts-expect-error: the drive detail needs the drive id too
  void api.GET('/tasks/{taskId}/drives/{driveId}', { params: { path: { taskId: 'x' } } });
}
