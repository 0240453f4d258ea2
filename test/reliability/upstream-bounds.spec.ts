import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import axios from 'axios';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { upstreamCreateTime, upstreamText } from '../../src/zego/upstream-fields';
import { MAX_ANSWER_BYTES, ZegoClient } from '../../src/zego/zego.client';
import { ZegoError } from '../../src/zego/zego.errors';

/**
 * An upstream (or a proxy in front of it) that misbehaves on the wire: the client's answer stays
 * bounded in time and size, and ids the record cannot hold do not get in.
 */
beforeAll(() => Logger.overrideLogger(false));

describe('upstream answers are bounded', () => {
  let server: Server;
  let url = '';
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  const clients: ZegoClient[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of clients) await c.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (timeoutMs = 800) => {
    const c = new ZegoClient(new HttpService(axios.create()), {
      baseUrl: url,
      appId: '1234567890',
      serverSecret: 'bounds-test-secret-0123456789',
      rateLimit: 50,
      timeoutMs,
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };
  const failure = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ZegoError);
    return err as ZegoError;
  };

  it('gives up on an answer that trickles a byte at a time, at the call’s deadline', async () => {
    const timers: NodeJS.Timeout[] = [];
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"Code":0,"Data":{"DriveList":[');
      // One byte every 200 ms: never idle for long enough to trip a socket time-out.
      const t = setInterval(() => res.write(' '), 200);
      timers.push(t);
      res.on('close', () => clearInterval(t));
    };
    const started = Date.now();
    const err = await failure(client().getDriveStatus('trickle-task'));
    const took = Date.now() - started;
    timers.forEach(clearInterval);
    expect(err.message).toMatch(/no answer within 800 ms/);
    expect(err.retryable).toBe(true);
    expect(took).toBeLessThan(5000); // without a deadline the call never ends
  });

  it('refuses an answer larger than the cap without reading it all', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"Code":0,"Data":{"DriveList":[');
      const item = Buffer.from('{"DriveId":"d","Status":1},'.repeat(4000));
      let sent = 0;
      const pump = () => {
        while (sent < MAX_ANSWER_BYTES * 2) {
          sent += item.length;
          if (!res.write(item)) return void res.once('drain', pump);
        }
        res.end('{}]}}');
      };
      pump();
    };
    // A deadline far beyond the time to send the cap, so that only the cap can end the call (with
    // 800 ms a loaded CI machine once hit the deadline first).
    const err = await failure(client(10_000).getDriveStatus('huge-task'));
    expect(err.message).toMatch(/answer larger than/);
  });

  it('leaves out drives whose ids the record cannot hold, and keeps the rest', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          Code: 0,
          Data: {
            DriveList: [
              { DriveId: 'good-drive-1', Status: 2 },
              { DriveId: 'x'.repeat(129), Status: 3 },
              { DriveId: 'bad drive with spaces', Status: 3 },
              { DriveId: 'nul\u0000id', Status: 4 },
              { DriveId: 'good-drive-2', Status: 4 },
            ],
          },
        }),
      );
    };
    expect(await client().getDriveStatus('odd-ids')).toEqual([
      { driveId: 'good-drive-1', status: 2 },
      { driveId: 'good-drive-2', status: 4 },
    ]);
  });
});

describe('upstream fields that reach the record', () => {
  it('keeps text that fits and drops the rest', () => {
    expect(upstreamText('room_1')).toBe('room_1');
    expect(upstreamText('x'.repeat(513))).toBeUndefined();
    expect(upstreamText('a\u0000b')).toBeUndefined();
    expect(upstreamText(42)).toBeUndefined();
  });

  it('keeps only plausible creation times', () => {
    const now = Date.parse('2026-11-29T00:00:00Z');
    expect(upstreamCreateTime(1_764_000_000, now)?.toISOString()).toBe('2025-11-24T16:00:00.000Z');
    for (const v of [1e15, 1e16, -1, 0, 1, Number.NaN, Infinity, now / 1000 + 2 * 86_400, '1764000000']) {
      expect(upstreamCreateTime(v, now)).toBeUndefined();
    }
  });
});
