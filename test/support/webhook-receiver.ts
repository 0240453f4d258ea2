import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  at: number;
  /** What `validate` found wrong (the receiver answered 400); empty when accepted. */
  problems: string[];
}

/**
 * A webhook receiver on loopback: keeps every request it gets. `mode` decides the answer: `ok`
 * (204), `down` (503), `hang` (never answers), `huge` (200 with a 10 MB body).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  mode: 'ok' | 'down' | 'hang' | 'huge' = 'ok';
  /** Checks a request as the real tool would; problems get a 400, as from the tool. */
  validate?: (r: Omit<Received, 'problems'>) => string[];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {
          /* kept raw */
        }
        const got = { path: req.url ?? '', headers: req.headers, raw, body, at: Date.now() };
        const problems = this.validate?.(got) ?? [];
        this.received.push({ ...got, problems });
        if (this.mode === 'hang') return;
        if (problems.length) return void res.writeHead(400, { 'content-type': 'text/plain' }).end(problems.join('\n'));
        if (this.mode === 'down') return void res.writeHead(503).end('down');
        if (this.mode === 'huge') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const block = Buffer.alloc(1024 * 1024, 'x');
          for (let i = 0; i < 10; i++) res.write(block);
          return void res.end();
        }
        res.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests whose body has this type (and, if given, is about this alert rule). */
  events(type: string, ruleId?: string): Received[] {
    return this.received.filter((r) => r.body?.type === type && (!ruleId || r.body?.alert?.ruleId === ruleId));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
