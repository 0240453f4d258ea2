import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PrismaService } from '../../src/database/prisma.service';
import { WebhookDeliveryService } from '../../src/webhooks/webhook-delivery.service';
import { newEvent, WebhooksRepository } from '../../src/webhooks/webhooks.repository';
import { eventually, Harness, startHarness } from '../support/harness';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * What keeps webhooks and alert state bounded and inside the rules: the egress policy at
 * registration and at connection, caps (409), paged lists, the test route's rate limit, and fair
 * delivery when one receiver never answers.
 */
const KEY = 'limits-api-key-000000000000001';
const auth = { authorization: `Bearer ${KEY}` };
const soon = () => new Date(Date.now() + 3600_000).toISOString();

describe('webhook egress policy, caps, paging and the test route’s limit', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  const api = (method: string, path: string, body?: unknown) => h.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    h = await startHarness({
      env: {
        API_KEYS: KEY,
        WEBHOOK_ALLOW_PRIVATE: 'false',
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_RETRY_BASE_MS: '60000',
        WEBHOOKS_MAX: '3',
        ALERT_RULES_MAX: '3',
        SILENCES_MAX: '2',
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('refuses refused literal addresses at registration (400 naming the setting) and names resolving to one when connecting', async () => {
    const cases: Array<[string, RegExp]> = [
      ['http://10.0.0.1/in', /WEBHOOK_ALLOW_PRIVATE=true/],
      ['http://100.64.0.1/in', /WEBHOOK_ALLOW_PRIVATE=true/],
      [`${receiver.url}/in`, /127\.0\.0\.1 .*WEBHOOK_ALLOW_PRIVATE=true/],
      ['http://[::ffff:127.0.0.1]/in', /WEBHOOK_ALLOW_PRIVATE=true/],
      ['http://[fd00::1]/in', /WEBHOOK_ALLOW_PRIVATE=true/],
      ['http://169.254.169.254/latest/meta-data', /link-local.*never/],
      ['http://[fe80::1]/in', /link-local/],
    ];
    for (const [url, message] of cases) {
      const res = await api('POST', '/webhooks', { url });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.message).toMatch(message);
    }
    // A name is accepted; it resolves to loopback, which the connection step refuses.
    const port = new URL(receiver.url).port;
    const named = await api('POST', '/webhooks', { url: `http://localhost:${port}/named` });
    expect(named.status).toBe(201);
    const test = await api('POST', `/webhooks/${named.body.id}/test`);
    expect(test.status).toBe(202);
    const attempt = await eventually(
      async () => (await api('GET', `/webhooks/${named.body.id}/deliveries`)).body.items[0],
    );
    expect(attempt).toMatchObject({ eventId: test.body.eventId, statusCode: null, error: 'address not allowed' });
    expect(receiver.received).toEqual([]);
    expect(h.logs.lines.join('\n')).not.toContain(`localhost:${port}`);
    expect((await api('DELETE', `/webhooks/${named.body.id}`)).status).toBe(204);
  });

  it('caps webhooks, rules and active silences with a 409 that names the setting', async () => {
    const hooks: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api('POST', '/webhooks', { url: `https://hooks${i}.example.com/in` });
      expect(res.status).toBe(201);
      hooks.push(res.body.id);
    }
    const extra = await api('POST', '/webhooks', { url: 'https://hooks9.example.com/in' });
    expect(extra.status).toBe(409);
    expect(extra.body.message).toMatch(/at most 3 webhooks .*WEBHOOKS_MAX/);

    for (let i = 0; i < 3; i++) {
      expect((await api('POST', '/alert-rules', { kind: 'consecutive_failures', threshold: i + 1 })).status).toBe(201);
    }
    const rule = await api('POST', '/alert-rules', { kind: 'upstream' });
    expect(rule.status).toBe(409);
    expect(rule.body.message).toMatch(/at most 3 alert rules .*ALERT_RULES_MAX/);

    const silences: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api('POST', '/silences', { endsAt: soon(), reason: `window ${i}` });
      expect(res.status).toBe(201);
      silences.push(res.body.id);
    }
    const silence = await api('POST', '/silences', { endsAt: soon(), reason: 'one too many' });
    expect(silence.status).toBe(409);
    expect(silence.body.message).toMatch(/at most 2 silences .*SILENCES_MAX/);
    // Ending one makes room again.
    expect((await api('DELETE', `/silences/${silences[0]}`)).status).toBe(204);
    expect((await api('POST', '/silences', { endsAt: soon(), reason: 'now it fits' })).status).toBe(201);
  });

  it('pages /webhooks, /alert-rules and /silences with limit, cursor and nextCursor', async () => {
    for (const path of ['/webhooks', '/alert-rules', '/silences']) {
      const all = await api('GET', path);
      expect(all.status).toBe(200);
      expect(all.body.nextCursor).toBeNull();
      const total = all.body.items.length;
      expect(total).toBeGreaterThanOrEqual(2);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { status: number; body: any } = await api(
          'GET',
          `${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect({ path, seen }).toEqual({ path, seen: all.body.items.map((i: { id: string }) => i.id) });
      // A cursor of another list, or of none, is a 400.
      const first = (await api('GET', `${path}?limit=1`)).body.nextCursor;
      const other = path === '/webhooks' ? '/silences' : '/webhooks';
      expect((await api('GET', `${other}?cursor=${encodeURIComponent(first)}`)).status).toBe(400);
      expect((await api('GET', `${path}?cursor=${'-'.repeat(36)}`)).status).toBe(400);
      expect((await api('GET', `${path}?limit=0`)).status).toBe(400);
    }
  });

  it('limits test events per webhook: 429 with Retry-After, other webhooks unaffected', async () => {
    const [one, two] = (await api('GET', '/webhooks')).body.items as Array<{ id: string }>;
    for (let i = 0; i < 5; i++) expect((await api('POST', `/webhooks/${one.id}/test`)).status).toBe(202);
    const limited = await api('POST', `/webhooks/${one.id}/test`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.message).toMatch(/too many requests/);
    expect((await api('POST', `/webhooks/${two.id}/test`)).status).toBe(202);
  });
});

/** A receiver that takes requests and never answers; counts how many it holds at once. */
class BlackHole {
  private server?: Server;
  url = '';
  received = 0;
  open = 0;
  maxOpen = 0;

  async start(): Promise<this> {
    this.server = createServer((req) => {
      this.received++;
      this.open++;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      req.socket.once('close', () => this.open--);
      req.resume();
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
  }
}

describe('fair delivery', () => {
  let h: Harness;
  let healthy: WebhookReceiver;
  let hole: BlackHole;
  const api = (method: string, path: string, body?: unknown) => h.request(method, path, { body, headers: auth });

  beforeAll(async () => {
    healthy = await new WebhookReceiver().start();
    hole = await new BlackHole().start();
    h = await startHarness({
      env: {
        API_KEYS: KEY,
        // The receivers are on loopback.
        WEBHOOK_ALLOW_PRIVATE: 'true',
        // Long enough that no attempt to the black hole ends during the test.
        WEBHOOK_TIMEOUT_MS: '30000',
        WEBHOOK_RETRY_BASE_MS: '60000',
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await healthy.close();
    await hole.close();
  });

  it('a receiver that never answers holds two attempts; a healthy one gets two dozen events meanwhile', async () => {
    const stuck = (await api('POST', '/webhooks', { url: `${hole.url}/never` })).body;
    const ok = (await api('POST', '/webhooks', { url: `${healthy.url}/ok` })).body;
    // Two dozen alert events, each for both endpoints, all due at once (the stuck endpoint's first).
    const webhooks = h.app.get(WebhooksRepository);
    const prisma = h.app.get(PrismaService);
    const base = Date.now() - 60_000;
    await prisma.$transaction(async (tx) => {
      for (let i = 0; i < 24; i++) {
        const event = newEvent('alert.firing', { alert: { n: i } }, new Date(base + i));
        await webhooks.enqueue(tx, event, [stuck.id, ok.id], false);
      }
    });
    h.app.get(WebhookDeliveryService).kick();
    await eventually(() => healthy.events('alert.firing').length === 24, 20_000);
    expect(new Set(healthy.events('alert.firing').map((r) => r.body.alert.n)).size).toBe(24);
    expect(hole.maxOpen).toBeLessThanOrEqual(2);
    expect(hole.received).toBeLessThanOrEqual(2);
    expect((await api('GET', `/webhooks/${stuck.id}`)).body.pending).toBe(24);
    expect((await api('GET', `/webhooks/${ok.id}`)).body.pending).toBe(0);
  });
});
