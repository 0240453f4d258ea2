/** How a loop reports: Nest's Logger fits, and so does a stub in a unit test. */
export interface LoopLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** What one background duty is; given to `BackgroundDuties.register` (or to the loop directly). */
export interface DutyOptions {
  /** Names the duty in logs and metrics ("alert evaluation"). */
  name: string;
  /** Wait between two runs, from the end of one to the start of the next. */
  everyMs: number;
  /** Wait before the first run (default: `everyMs`). */
  firstAfterMs?: number;
  /** Each wait is stretched or shrunk by up to this fraction at random (default 0.1), so replicas and duties do not beat in step. */
  jitter?: number;
  /**
   * Whether a run may start now (checked before every run). Duties registered with the fleet
   * lease get "this replica holds the lease" here; a loop without a gate always runs.
   */
  gate?: () => boolean;
  /** One run. Its failure is logged and counted; the loop goes on. */
  run: () => Promise<unknown>;
  /** Called (instead of a run) when the gate is closed: a duty can forget state it must rebuild on taking over. */
  onGateClosed?: () => void;
  /** First step of stopping, before the in-flight run is awaited: abort what can be aborted. */
  onStop?: () => void | Promise<void>;
  /** Waits for work a run started and did not await (polls, webhook attempts); awaited at stop. */
  drain?: () => Promise<void>;
}

/** While a duty keeps failing with the same message, it is logged again at most this often. */
const REPEAT_FAILURE_LOG_MS = 60_000;

/**
 * One background duty's loop: a timer with jitter, one run at a time (a tick or a trigger while a
 * run is in flight never starts a second one), a gate checked before each run, failures caught,
 * logged and counted per run, and a stop that waits for the run in flight. The next run is timed
 * from the end of the previous one, so a slow run never piles up behind itself.
 */
export class BackgroundLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** A trigger arrived during a run: run again as soon as it ends. */
  private again = false;
  private started = false;
  private stopped = false;
  private failing?: { message: string; since: number; loggedAt: number };

  constructor(
    readonly options: DutyOptions,
    private readonly logger: LoopLogger,
    /** Told after every run whether it succeeded (metrics). */
    private readonly onRun: (ok: boolean, seconds: number) => void = () => undefined,
    private readonly random: () => number = Math.random,
  ) {
    if (!(options.everyMs > 0)) throw new Error(`${options.name}: everyMs must be positive`);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Starts the timer (once; a stopped loop does not start again). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(this.options.firstAfterMs ?? this.options.everyMs);
  }

  /**
   * Runs now if nothing is running and the gate is open; if a run is in flight, runs once more
   * right after it (work that arrived during a run is not left for the next tick). Resolves when
   * the run it started (or joined) has ended.
   */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    return this.runOnce();
  }

  /** Stops the timer, lets the duty abort what it can, then waits for the run in flight and its drain. */
  async stop(): Promise<void> {
    if (this.stopped) return this.running;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.options.onStop?.();
    await this.running;
    await this.options.drain?.();
  }

  private schedule(baseMs: number): void {
    if (this.stopped) return;
    const jitter = this.options.jitter ?? 0.1;
    const delay = Math.max(0, Math.round(baseMs * (1 + jitter * (2 * this.random() - 1))));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) return; // a triggered run is in flight: it schedules the next tick when done
      void this.runOnce();
    }, delay);
    this.timer.unref();
  }

  private runOnce(): Promise<void> {
    if (this.options.gate && !this.options.gate()) {
      this.options.onGateClosed?.();
      this.reschedule();
      return Promise.resolve();
    }
    this.running = this.execute().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.runOnce();
      } else this.reschedule();
    });
    return this.running;
  }

  private reschedule(): void {
    if (this.started && !this.stopped && !this.timer && !this.running) this.schedule(this.options.everyMs);
  }

  private async execute(): Promise<void> {
    const started = performance.now();
    try {
      await this.options.run();
      this.onRun(true, (performance.now() - started) / 1000);
      if (this.failing) {
        this.logger.log(
          `${this.options.name} works again (failing since ${new Date(this.failing.since).toISOString()})`,
        );
        this.failing = undefined;
      }
    } catch (err) {
      this.onRun(false, (performance.now() - started) / 1000);
      const message = err instanceof Error ? err.message : String(err);
      const now = Date.now();
      // A database outage fails a 200 ms loop five times a second: say it once, then once a minute.
      if (this.failing?.message === message && now - this.failing.loggedAt < REPEAT_FAILURE_LOG_MS) return;
      this.failing = { message, since: this.failing?.since ?? now, loggedAt: now };
      this.logger.warn(`${this.options.name} failed: ${message}`);
    }
  }
}
