import { randomUUID } from 'node:crypto';
import Fastify, { FastifyInstance, FastifyReply } from 'fastify';
import { signCallback, signRequest } from '../zego/zego-signature';
import {
  SimDrive,
  SimEvent,
  SimTask,
  SimulatorEngine,
  SimulatorEngineOptions,
  SimulatorError,
} from './simulator.engine';
import { SimulatorRoom } from './simulator.room';

/** A fault the simulator answers with instead of the real thing, for the next `times` calls. */
export interface SimulatorFault {
  /** Answer HTTP 200 with this non-zero Code. */
  code?: number;
  /** Answer with this HTTP status (and an HTML body). */
  httpStatus?: number;
  /** Wait this long before answering (or before the fault). */
  delayMs?: number;
  /** Answer HTTP 200 with a body that is not JSON. */
  nonJson?: boolean;
  /** Only calls of these actions are affected (all when absent). */
  actions?: string[];
  /** Only calls about this TaskId are affected. */
  taskId?: string;
  /** How many calls it affects; unlimited when absent (until cleared). */
  times?: number;
}

export interface SimulatorOptions extends Partial<SimulatorEngineOptions> {
  appId: string;
  serverSecret: string;
  /** Requests per second per account, over any one-second window. */
  rateLimit?: number;
  /** Accepted clock difference of a signature's Timestamp, in seconds. */
  maxSkewSeconds?: number;
  /** Interval of the background clock that advances drives. */
  tickMs?: number;
  /** Refuse GetDriveStatus as an action no longer served (see driveStatusRefusal). */
  driveStatusRefusal?: DriveStatusRefusal;
}

/** How an upstream that no longer serves GetDriveStatus may answer it. */
export type DriveStatusRefusal = 'http404' | 'gateway' | 'no_permission';

/** Where and how the simulator pushes callbacks, like ZEGO does once support has set a URL. */
export interface CallbackTarget {
  url: string;
  secret: string;
  /** Share of events sent a second time (0–1). */
  duplicateRate?: number;
  /** Each send waits a random 0..this many ms, so events can overtake one another. */
  reorderMaxDelayMs?: number;
  /** Timestamp in milliseconds (documented since 2026-05; the default) or seconds (as ZEGO's examples). */
  timestampUnit?: 's' | 'ms';
  /** Waits before each retry of an unacknowledged event; ZEGO's are 2, 4, 8, 16, 32 s. */
  retryDelaysMs?: number[];
  /** Share of events lost for good (as after ZEGO's five retries): never delivered (0–1). */
  lossRate?: number;
}

export interface SimulatorStats {
  byAction: Record<string, number>;
  byCode: Record<string, number>;
  rateLimited: number;
  total: number;
  callbacks: { sent: number; acknowledged: number; dropped: number };
  /** Drive events the receiver acknowledged with a 2xx (bounded). */
  acknowledgedDriveEvents: Array<{ taskId: string; driveId: string; status: number }>;
  /** Arrival times of accepted calls (ms), newest last; bounded. */
  arrivals: number[];
}

export const SIMULATOR_ACTIONS = [
  'GetDriveStatus',
  'QueryDigitalHumanStreamTasks',
  'GetDigitalHumanStreamTaskStatus',
  'CreateDigitalHumanStreamTask',
  'DriveByText',
  'DriveByAudio',
  'InterruptDriveTask',
  'StopDigitalHumanStreamTask',
] as const;

/** A ZEGO digital-human server API on a real HTTP port, backed by a SimulatorEngine. */
export class ZegoSimulator {
  readonly engine: SimulatorEngine;
  /** Room messages a client in each task's room would receive (ZEGO's client-side drive status). */
  readonly room: SimulatorRoom;
  readonly stats: SimulatorStats = {
    byAction: {},
    byCode: {},
    rateLimited: 0,
    total: 0,
    arrivals: [],
    callbacks: { sent: 0, acknowledged: 0, dropped: 0 },
    acknowledgedDriveEvents: [],
  };
  private callbackTarget?: CallbackTarget;
  /** Set: GetDriveStatus is refused this way, as by an upstream that dropped the action. */
  driveStatusRefusal?: DriveStatusRefusal;
  /** Drive events never delivered (lossRate), for tests that compare with the truth. */
  readonly lostDriveEvents: Array<{ taskId: string; driveId: string; status: number }> = [];
  /** Told of every accepted call (after signature and rate checks), for benchmarks and tests. */
  onCall?: (action: string, body: Record<string, unknown>) => void;
  private readonly pendingCallbacks = new Set<Promise<void>>();
  private readonly app: FastifyInstance;
  private readonly window: number[] = [];
  private faults: SimulatorFault[] = [];
  private timer?: NodeJS.Timeout;
  private closed = false;
  private baseUrl = '';

  constructor(readonly options: SimulatorOptions) {
    this.driveStatusRefusal = options.driveStatusRefusal;
    this.engine = new SimulatorEngine(options);
    this.room = new SimulatorRoom(this.engine);
    this.app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
    // ZEGO's gateway reads the body as JSON whatever the header says; so do we.
    this.app.removeAllContentTypeParsers();
    this.app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    this.app.post('/', async (req, reply) =>
      this.handle(req.query as Record<string, string>, req.body as string | undefined, reply),
    );
    this.app.get('/_sim/health', () => ({ ok: true }));
    this.app.get('/_sim/rooms/messages', (req) => ({
      messages: this.room.since(Number((req.query as { after?: string }).after ?? 0) || 0),
    }));
    this.engine.listeners.push((event) => this.pushCallback(event));
  }

  /** Starts (or, with undefined, stops) pushing every status change to `target.url`. */
  sendCallbacksTo(target: CallbackTarget | undefined): void {
    this.callbackTarget = target;
  }

  /** Resolves when every callback sent so far has been acknowledged or given up on. */
  async flushCallbacks(): Promise<void> {
    while (this.pendingCallbacks.size) await Promise.allSettled([...this.pendingCallbacks]);
  }

  private pushCallback(event: SimEvent): void {
    const target = this.callbackTarget;
    if (!target) return;
    if (Math.random() < (target.lossRate ?? 0)) {
      this.stats.callbacks.dropped += 1;
      if (event.type === 4)
        this.lostDriveEvents.push({ taskId: event.taskId, driveId: event.driveId, status: event.status });
      return;
    }
    const copies = Math.random() < (target.duplicateRate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delivery = this.deliver(target, event).finally(() => this.pendingCallbacks.delete(delivery));
      this.pendingCallbacks.add(delivery);
    }
  }

  private async deliver(target: CallbackTarget, event: SimEvent): Promise<void> {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await sleep(Math.random() * (target.reorderMaxDelayMs ?? 0));
    const delays = target.retryDelaysMs ?? [2000, 4000, 8000, 16000, 32000];
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1]);
      if (this.closed) return;
      const nonce = String(Math.floor(Math.random() * 1e9));
      const nowMs = this.engine.options.now();
      const timestamp = target.timestampUnit === 's' ? String(Math.floor(nowMs / 1000)) : String(nowMs);
      const detail =
        event.type === 4
          ? { DriveId: event.driveId, Status: event.status }
          : { Status: event.status, RoomId: event.roomId, StreamId: event.streamId };
      const body = {
        AppId: Number(this.options.appId),
        EventType: event.type,
        Nonce: nonce,
        Timestamp: timestamp,
        Signature: signCallback(target.secret, timestamp, nonce),
        EventTime: event.at,
        TaskId: event.taskId,
        Detail: detail,
      };
      this.stats.callbacks.sent += 1;
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        if (res.ok) {
          this.stats.callbacks.acknowledged += 1;
          if (event.type === 4 && this.stats.acknowledgedDriveEvents.length < 100_000) {
            this.stats.acknowledgedDriveEvents.push({
              taskId: event.taskId,
              driveId: event.driveId,
              status: event.status,
            });
          }
          return;
        }
      } catch {
        /* not acknowledged: retry */
      }
    }
    this.stats.callbacks.dropped += 1;
  }

  get url(): string {
    return this.baseUrl;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await this.app.listen({ port, host });
    const address = this.app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    this.baseUrl = `http://${host}:${actualPort}`;
    this.timer = setInterval(() => this.engine.advance(), this.options.tickMs ?? 50);
    this.timer.unref();
    return this.baseUrl;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.app.close();
  }

  /** Adds a fault; faults are matched in the order they were added. */
  injectFault(fault: SimulatorFault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  private takeFault(action: string, taskId: unknown): SimulatorFault | undefined {
    const index = this.faults.findIndex(
      (f) => (!f.actions || f.actions.includes(action)) && (!f.taskId || f.taskId === taskId),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }

  private async handle(
    query: Record<string, string>,
    rawBody: string | undefined,
    reply: FastifyReply,
  ): Promise<unknown> {
    const action = query.Action ?? '';
    const requestId = randomUUID();
    const answer = (code: number, message: string, data?: unknown) => {
      this.stats.byCode[code] = (this.stats.byCode[code] ?? 0) + 1;
      return reply
        .code(200)
        .send({ Code: code, Message: message, RequestId: requestId, ...(data === undefined ? {} : { Data: data }) });
    };
    this.stats.total += 1;

    const auth = this.checkSignature(query);
    if (auth) return answer(auth.code, auth.message);
    if (!this.takeRateBudget()) {
      this.stats.rateLimited += 1;
      return answer(400010009, 'rate limited');
    }
    if (!(SIMULATOR_ACTIONS as readonly string[]).includes(action))
      return answer(100000003, `unknown action ${action}`);
    this.stats.byAction[action] = (this.stats.byAction[action] ?? 0) + 1;

    let body: Record<string, unknown>;
    try {
      const parsed: unknown = rawBody ? JSON.parse(rawBody) : {};
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return answer(400000001, 'body must be a JSON object');
    }

    this.onCall?.(action, body);
    if (action === 'GetDriveStatus' && this.driveStatusRefusal) {
      if (this.driveStatusRefusal === 'http404')
        return reply.code(404).type('text/html').send('<html>404 Not Found</html>');
      if (this.driveStatusRefusal === 'gateway') return answer(100000003, 'unsupported action');
      return answer(400010001, 'no permission for this action');
    }
    const fault = this.takeFault(action, body.TaskId);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.httpStatus)
      return reply
        .code(fault.httpStatus)
        .type('text/html')
        .send(`<html><body>${fault.httpStatus} from a proxy</body></html>`);
    if (fault?.nonJson) return reply.code(200).type('text/plain').send('upstream temporarily unavailable');
    if (fault?.code) return answer(fault.code, 'injected fault');

    try {
      return answer(0, 'success', this.dispatch(action, body));
    } catch (err) {
      if (err instanceof SimulatorError) return answer(err.code, err.message);
      return answer(400010000, 'system error');
    }
  }

  private checkSignature(q: Record<string, string>): { code: number; message: string } | undefined {
    for (const name of ['AppId', 'SignatureNonce', 'Timestamp', 'SignatureVersion', 'Signature']) {
      if (!q[name]) return { code: 100000001, message: `missing ${name}` };
    }
    if (q.AppId !== this.options.appId) return { code: 100000002, message: 'AppId not found' };
    if (!/^\d+$/.test(q.Timestamp)) return { code: 100000004, message: 'Timestamp is not valid' };
    const skew = Math.abs(Math.floor(this.engine.options.now() / 1000) - Number(q.Timestamp));
    if (skew > (this.options.maxSkewSeconds ?? 600)) return { code: 100000004, message: 'signature expired' };
    if (q.SignatureVersion !== '2.0') return { code: 100000006, message: 'unsupported SignatureVersion' };
    const expected = signRequest(q.AppId, q.SignatureNonce, this.options.serverSecret, Number(q.Timestamp));
    if (q.Signature !== expected) return { code: 100000005, message: 'signature wrong' };
    return undefined;
  }

  /** A sliding one-second window: more than `rateLimit` calls in any 1000 ms are refused. */
  private takeRateBudget(): boolean {
    const now = this.engine.options.now();
    while (this.window.length && this.window[0] <= now - 1000) this.window.shift();
    if (this.window.length >= (this.options.rateLimit ?? 10)) return false;
    this.window.push(now);
    this.stats.arrivals.push(now);
    if (this.stats.arrivals.length > 200_000) this.stats.arrivals.splice(0, 100_000);
    return true;
  }

  private dispatch(action: string, body: Record<string, unknown>): unknown {
    const e = this.engine;
    const taskId = () => {
      if (typeof body.TaskId !== 'string' || !body.TaskId) throw new SimulatorError(400000001, 'TaskId is required');
      return body.TaskId;
    };
    switch (action) {
      case 'GetDriveStatus': {
        if (typeof body.DriveId === 'string' && body.DriveId && !body.TaskId) {
          const { drive } = e.findDrive(body.DriveId);
          return { DriveList: [driveView(drive)] };
        }
        const task = e.findTask(taskId());
        const drives =
          typeof body.DriveId === 'string' && body.DriveId
            ? task.drives.filter((d) => d.driveId === body.DriveId)
            : task.drives;
        return { DriveList: drives.map(driveView) };
      }
      case 'QueryDigitalHumanStreamTasks':
        return { TaskList: e.runningTasks().map((t) => ({ ...taskView(t), Status: t.status })) };
      case 'GetDigitalHumanStreamTaskStatus': {
        const t = e.queryTask(taskId());
        return { ...taskView(t), Status: t.status, ...(t.status === 2 ? { FailReason: 'initialization failed' } : {}) };
      }
      case 'CreateDigitalHumanStreamTask':
        return { TaskId: e.createTask(body).taskId };
      case 'DriveByText':
        if (typeof body.Text !== 'string' || !body.Text) throw new SimulatorError(400000001, 'Text is required');
        return { DriveId: e.drive(taskId(), 'text', body.InterruptMode === 1).driveId };
      case 'DriveByAudio':
        if (typeof body.AudioUrl !== 'string' || !body.AudioUrl)
          throw new SimulatorError(400000001, 'AudioUrl is required');
        return { DriveId: e.drive(taskId(), 'audio', body.InterruptMode === 1).driveId };
      case 'InterruptDriveTask':
        e.interrupt(taskId());
        return {};
      case 'StopDigitalHumanStreamTask':
        e.stop(taskId());
        return {};
      default:
        throw new SimulatorError(100000003, 'unknown action');
    }
  }
}

function driveView(d: SimDrive) {
  return { DriveId: d.driveId, Status: d.status };
}

function taskView(t: SimTask) {
  return { TaskId: t.taskId, RoomId: t.roomId, StreamId: t.streamId, CreateTime: Math.floor(t.createdAt / 1000) };
}
