import type { SpanContext } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import { activeSpanContext, inSpan, linksTo } from '../tracing/spans';

export interface GroupCommitOptions {
  /** Jobs in one batch at most. */
  max: number;
  /** How long a batch stays open for more jobs after its first (ms). */
  windowMs: number;
  /** Batches running at once; a batch waiting for its turn stays open and keeps filling. */
  concurrency: number;
}

/**
 * Gathers jobs that arrive together into batches, each run by `run` in one go (one transaction:
 * see ObservationsRepository.applyBatch), and gives each caller its own job's result or error.
 * DataLoader does the gathering (its cache is off: every job is run); this class adds a limit on
 * the batches running at once, taken before a batch is closed, so that under load batches grow
 * rather than queue.
 */
/** A job, with the span of the operation that asked for it (the batch's span links to it). */
interface Entry<J> {
  job: J;
  caller?: SpanContext;
}

export class GroupCommit<J, R> {
  private readonly loader: DataLoader<Entry<J>, R>;
  private running = 0;
  private readonly turns: Array<() => void> = [];

  constructor(run: (jobs: readonly J[]) => Promise<Array<R | Error>>, options: GroupCommitOptions) {
    this.loader = new DataLoader<Entry<J>, R>(
      async (entries) => {
        try {
          // Its own trace (it serves several requests), linked to each traced request whose job it
          // carried; a batch that carried none is not traced (the sampler keeps one that links).
          const links = linksTo(entries.map((e) => e.caller));
          const jobs = entries.map((e) => e.job);
          if (!links.length) return await run(jobs);
          return await inSpan(
            'group commit',
            { root: true, links, attributes: { 'group_commit.size': entries.length } },
            () => run(jobs),
          );
        } finally {
          this.release();
        }
      },
      {
        cache: false,
        maxBatchSize: options.max,
        batchScheduleFn: (dispatch) => {
          setTimeout(() => void this.acquire(options.concurrency).then(dispatch), options.windowMs);
        },
      },
    );
  }

  /** Resolves with this job's result once the batch that holds it has been run (committed). */
  load(job: J): Promise<R> {
    return this.loader.load({ job, caller: activeSpanContext() });
  }

  private acquire(limit: number): Promise<void> {
    if (this.running < limit) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.turns.push(resolve));
  }

  private release(): void {
    const next = this.turns.shift();
    // The slot passes straight to the next waiting batch.
    if (next) next();
    else this.running -= 1;
  }
}
