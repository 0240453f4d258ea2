import { BackgroundLoop, DutyOptions } from '../../src/coordination/background-loop';

/** A promise to settle by hand: a run that is "in flight" until the test says so. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function logger() {
  return {
    lines: [] as string[],
    log(m: string) {
      this.lines.push(`log ${m}`);
    },
    warn(m: string) {
      this.lines.push(`warn ${m}`);
    },
  };
}

/** A loop whose every run is held open until released, counting runs and the most at once. */
function heldLoop(options: Partial<DutyOptions> = {}, random = () => 0.5) {
  const runs: Array<ReturnType<typeof deferred>> = [];
  let active = 0;
  let mostAtOnce = 0;
  const log = logger();
  const results: boolean[] = [];
  const loop = new BackgroundLoop(
    {
      name: 'test-duty',
      everyMs: 1000,
      run: async () => {
        const d = deferred();
        runs.push(d);
        active++;
        mostAtOnce = Math.max(mostAtOnce, active);
        try {
          await d.promise;
        } finally {
          active--;
        }
      },
      ...options,
    },
    log,
    (ok) => results.push(ok),
    random,
  );
  return { loop, runs, log, results, mostAtOnce: () => mostAtOnce };
}

describe('BackgroundLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs one at a time: ticks during a slow run start nothing, the next run waits for the interval after it', async () => {
    const { loop, runs, mostAtOnce } = heldLoop();
    loop.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(10_000); // ten intervals while the run is in flight
    expect(runs).toHaveLength(1);
    runs[0].resolve();
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    expect(mostAtOnce()).toBe(1);
    runs[1].resolve();
    await loop.stop();
  });

  it('runs a trigger at once, and one that arrives during a run right after it (never two at once)', async () => {
    const { loop, runs, mostAtOnce } = heldLoop();
    loop.start();
    void loop.trigger();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    void loop.trigger();
    void loop.trigger();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    runs[0].resolve();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2); // the two triggers made one more run, not two
    runs[1].resolve();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
    expect(mostAtOnce()).toBe(1);
    await loop.stop();
  });

  it('does not run while its gate is closed, says so to the duty, and runs once it opens', async () => {
    let open = false;
    const closed = jest.fn();
    const { loop, runs } = heldLoop({ gate: () => open, onGateClosed: closed });
    loop.start();
    await jest.advanceTimersByTimeAsync(3000);
    await loop.trigger();
    expect(runs).toHaveLength(0);
    expect(closed).toHaveBeenCalledTimes(4);
    open = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
    runs[0].resolve();
    await loop.stop();
  });

  it('stops: no run after, onStop before the wait, and stop() resolves only once the run in flight and the drain are over', async () => {
    const order: string[] = [];
    const drained = deferred();
    const { loop, runs } = heldLoop({
      onStop: () => void order.push('onStop'),
      drain: async () => {
        order.push('drain');
        await drained.promise;
      },
    });
    loop.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(1);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(5000);
    expect(order).toEqual(['onStop']);
    expect(stopped).toBe(false);
    runs[0].resolve();
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['onStop', 'drain']);
    expect(stopped).toBe(false);
    drained.resolve();
    await stopping;
    expect(stopped).toBe(true);
    await loop.trigger();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(1);
  });

  it('keeps going after a failed run, logs a repeated failure once a minute, and says when it works again', async () => {
    let fail = true;
    const log = logger();
    const results: boolean[] = [];
    const loop = new BackgroundLoop(
      {
        name: 'flaky',
        everyMs: 1000,
        jitter: 0,
        run: async () => {
          if (fail) throw new Error('database unreachable');
        },
      },
      log,
      (ok) => results.push(ok),
    );
    loop.start();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(results).toHaveLength(30);
    expect(results.every((ok) => !ok)).toBe(true);
    expect(log.lines).toEqual(['warn flaky failed: database unreachable']);
    await jest.advanceTimersByTimeAsync(31_000);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toHaveLength(2);
    fail = false;
    await jest.advanceTimersByTimeAsync(1000);
    expect(results.at(-1)).toBe(true);
    expect(log.lines.at(-1)).toMatch(/^log flaky works again \(failing since /);
    await loop.stop();
  });

  it('spreads its waits by the jitter', async () => {
    const late = heldLoop({ jitter: 0.2 }, () => 1); // the longest wait: 1000 * 1.2
    late.loop.start();
    await jest.advanceTimersByTimeAsync(1199);
    expect(late.runs).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(late.runs).toHaveLength(1);
    late.runs[0].resolve();
    await late.loop.stop();

    const early = heldLoop({ jitter: 0.2, firstAfterMs: 500 }, () => 0); // the shortest: 500 * 0.8
    early.loop.start();
    await jest.advanceTimersByTimeAsync(400);
    expect(early.runs).toHaveLength(1);
    early.runs[0].resolve();
    await early.loop.stop();
  });
});
