import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { buildConnector } from 'undici';
import { NO_ANSWER, NOT_ALLOWED, Resolver, WebhookSender } from '../../src/webhooks/webhook-sender';

/**
 * The sender's connector against a resolver the test controls: refused addresses never reach the
 * connection step (a spy stands in for it, and opens nothing but loopback), whatever the name
 * resolved to at registration or at the previous attempt.
 */
describe('the webhook sender’s egress check', () => {
  let server: Server;
  let port: number;
  const seen: IncomingHttpHeaders[] = [];
  const realConnect = buildConnector({ timeout: 2000 });
  let opened: string[] = [];
  /** Records every address a connection is opened to; only loopback is really opened. */
  const spyConnect: buildConnector.connector = (opts, callback) => {
    opened.push(opts.hostname);
    if (opts.hostname !== '127.0.0.1') return callback(new Error('test: would have left the machine'), null);
    realConnect(opts, callback);
  };
  const answers = new Map<string, string[]>();
  const lookups: string[] = [];
  const resolve: Resolver = (hostname) => {
    lookups.push(hostname);
    const next = answers.get(hostname)?.shift();
    if (!next) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve([{ address: next, family: next.includes(':') ? 6 : 4 }]);
  };
  const post = (sender: WebhookSender, url: string) =>
    sender.post(url, '{}', { 'content-type': 'application/json' }, new AbortController().signal);

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    opened = [];
    lookups.length = 0;
    seen.length = 0;
  });

  it('refuses a name that resolves to cloud metadata or a private address before connecting', async () => {
    const sender = new WebhookSender({ allowPrivate: false, timeoutMs: 2000, resolve, connect: spyConnect });
    answers.set('metadata.hooks.test', ['169.254.169.254']);
    answers.set('inside.hooks.test', ['10.0.0.1']);
    answers.set('mapped.hooks.test', ['::ffff:169.254.169.254']);
    for (const name of ['metadata', 'inside', 'mapped']) {
      const result = await post(sender, `http://${name}.hooks.test:${port}/in`);
      expect(result).toMatchObject({ statusCode: null, error: NOT_ALLOWED });
    }
    expect(lookups).toEqual(['metadata.hooks.test', 'inside.hooks.test', 'mapped.hooks.test']);
    expect(opened).toEqual([]);
    await sender.close();
  });

  it('refuses link-local even with WEBHOOK_ALLOW_PRIVATE, and literal addresses the same way', async () => {
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2000, resolve, connect: spyConnect });
    answers.set('metadata.hooks.test', ['169.254.169.254']);
    expect(await post(sender, `http://metadata.hooks.test/latest`)).toMatchObject({ error: NOT_ALLOWED });
    expect(await post(sender, `http://169.254.169.254/latest`)).toMatchObject({ error: NOT_ALLOWED });
    expect(await post(sender, `http://[fe80::1]:${port}/x`)).toMatchObject({ error: NOT_ALLOWED });
    expect(opened).toEqual([]);
    await sender.close();
  });

  it('checks the answer of the lookup it connects with: a name that changes to a refused address is refused', async () => {
    const sender = new WebhookSender({ allowPrivate: false, timeoutMs: 2000, resolve, connect: spyConnect });
    // Public at the first attempt (the spy stops it there), private at the second.
    answers.set('rebind.hooks.test', ['93.184.216.34', '10.0.0.1']);
    expect(await post(sender, `http://rebind.hooks.test:${port}/in`)).toMatchObject({ error: NO_ANSWER });
    expect(await post(sender, `http://rebind.hooks.test:${port}/in`)).toMatchObject({ error: NOT_ALLOWED });
    expect(opened).toEqual(['93.184.216.34']);
    await sender.close();
  });

  it('connects to the checked address when allowed, sending URL credentials as Basic authentication', async () => {
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2000, resolve, connect: spyConnect });
    answers.set('hooks.test', ['127.0.0.1']);
    const result = await post(sender, `http://bot:p%40ss@hooks.test:${port}/in`);
    expect(result).toEqual({ statusCode: 204, error: null, detail: null });
    expect(opened).toEqual(['127.0.0.1']);
    expect(seen[0].authorization).toBe(`Basic ${Buffer.from('bot:p@ss').toString('base64')}`);
    expect(seen[0].host).toBe(`hooks.test:${port}`);
    await sender.close();
  });

  it('reads a closed port and an unknown name as `no answer`, like a time-out', async () => {
    const sender = new WebhookSender({ allowPrivate: true, timeoutMs: 2000, resolve });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await post(sender, `http://127.0.0.1:${closedPort}/x`)).toMatchObject({ error: NO_ANSWER });
    expect(await post(sender, `http://unknown.hooks.test/x`)).toMatchObject({ error: NO_ANSWER });
    await sender.close();
  });
});
