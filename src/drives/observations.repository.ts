import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { CallbackReceipt, CallbackReceiptsRepository } from './callback-receipts.repository';
import { ObservedDrive } from './drive-transitions';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { GroupCommit } from './group-commit';
import { BatchWrite } from './observation-batch';
import { writeBatch } from './observation-batch-write';
import { writeObservation } from './observation-write';
import { ObservationJob, ObservationOptions, ObservationResult, ReceiptTaken } from './observation.types';

export type {
  DriveRegistration,
  ObservationJob,
  ObservationOptions,
  ObservationResult,
  ObservationSource,
} from './observation.types';

/**
 * The write path of polls and callbacks: hand-written SQL on a pooled `pg` client, named prepared
 * statements. One observation: observation-write.ts; several in one transaction (group commit, a
 * client relay's messages): observation-batch-write.ts; the aggregates both add to:
 * drive-aggregates.ts.
 */
@Injectable()
export class ObservationsRepository {
  /** Callbacks' writes, grouped into shared transactions (null: GROUP_COMMIT_MAX is 1). */
  private readonly batches: GroupCommit<ObservationJob, ObservationResult | 'duplicate' | 'reused' | null> | null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly receipts: CallbackReceiptsRepository,
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.batches =
      config.GROUP_COMMIT_MAX > 1
        ? new GroupCommit((jobs) => this.applyBatch(jobs), {
            max: config.GROUP_COMMIT_MAX,
            windowMs: config.GROUP_COMMIT_WINDOW_MS,
            concurrency: config.GROUP_COMMIT_CONCURRENCY,
          })
        : null;
  }

  /**
   * Records one observation of a task's drives. Status, history, hourly outcomes and the task's
   * counters change together in one transaction, under a lock on the task row, so a poll and a
   * callback for the same task can never interleave. After the lock, one statement reads the drives
   * concerned and one writes every change at once (data-modifying CTEs).
   * Observing what is already stored writes only the task's sync time.
   */
  async applyObservation(
    taskId: string,
    observed: readonly ObservedDrive[],
    options: ObservationOptions,
  ): Promise<ObservationResult | null> {
    return this.write(taskId, observed, options) as Promise<ObservationResult | null>;
  }

  /**
   * The same for a verified callback, with its receipt claimed in the same transaction: when the
   * receipt's signature was seen before, nothing is written and the answer says whether it was the
   * same body (`duplicate`) or another one (`reused`, a forgery). Callbacks arriving together share
   * one transaction (group commit, applyBatch); the answer comes once that has committed.
   */
  async applyCallback(
    taskId: string,
    observed: readonly ObservedDrive[],
    options: ObservationOptions,
    receipt: CallbackReceipt,
  ): Promise<ObservationResult | 'duplicate' | 'reused' | null> {
    if (this.batches) return this.batches.load({ taskId, observed, options, receipt });
    return this.write(taskId, observed, options, receipt);
  }

  /**
   * Several partial observations from one source (a client relay's messages), planned one after
   * another in the order given (the group commit's rules, planBatch) and written in one
   * transaction: all of them or none. No receipts. Resolves one result per job once committed.
   */
  async applyInOrder(jobs: readonly ObservationJob[]): Promise<Array<ObservationResult | null>> {
    if (!jobs.length) return [];
    let ended: BatchWrite['ended'] | undefined;
    const settled = await this.prisma.transaction((tx) => writeBatch(tx, jobs, (batch) => (ended = batch.ended)));
    if (ended) this.metrics.drivesEndedAfterCommit(ended);
    return settled.map((s) => (s === 'taken' ? null : s));
  }

  private async write(
    taskId: string,
    observed: readonly ObservedDrive[],
    options: ObservationOptions,
    receipt?: CallbackReceipt,
  ): Promise<ObservationResult | 'duplicate' | 'reused' | null> {
    return this.prisma
      .transaction((tx) => writeObservation(tx, { taskId, observed, options, receipt }))
      .then((result) => {
        if (result?.ended) this.metrics.drivesEndedAfterCommit(result.ended);
        return result;
      })
      .catch(async (err: unknown) => {
        if (!(err instanceof ReceiptTaken)) throw err;
        return this.receipts.classifyTaken(receipt!);
      });
  }

  /**
   * Group commit: several callbacks' observations written in one transaction, in a handful of
   * statements whatever their number. The tasks are locked in task order (as every writer locks
   * them, so two batches never deadlock), missing tasks created, the receipts claimed, then every
   * event is planned as if written alone, one after another (planBatch: the same rules), and the
   * sum of their writes goes out in one statement, aggregates in key order in a second. An event
   * whose receipt was taken (the same callback earlier, or twice in this batch) has no effect and
   * is classified after the commit. When the batch fails as a whole (any event's statement, the
   * connection, the commit), each event is written on its own, so only a failing one fails.
   * Resolves one result (or error) per job, in the order given, once committed.
   */
  async applyBatch(
    jobs: readonly ObservationJob[],
  ): Promise<Array<ObservationResult | 'duplicate' | 'reused' | null | Error>> {
    this.metrics.groupCommitBatch.observe(jobs.length);
    let settled: Array<ObservationResult | null | 'taken'>;
    try {
      let ended: BatchWrite['ended'] | undefined;
      settled = await this.prisma.transaction((tx) => writeBatch(tx, jobs, (batch) => (ended = batch.ended)));
      if (ended) this.metrics.drivesEndedAfterCommit(ended);
    } catch {
      return Promise.all(
        jobs.map((j) => this.write(j.taskId, j.observed, j.options, j.receipt).catch((err: unknown) => asError(err))),
      );
    }
    return Promise.all(
      settled.map(async (s, i) =>
        s === 'taken' ? this.receipts.classifyTaken(jobs[i].receipt!).catch((err: unknown) => asError(err)) : s,
      ),
    );
  }
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));
