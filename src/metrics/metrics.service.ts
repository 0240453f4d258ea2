import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamObserver } from '../zego/upstream-observer';

/** Sets a gauge's values at scrape time. */
export type GaugeReader<L extends string> = (gauge: Gauge<L>) => void | Promise<void>;

/**
 * A gauge whose value only a feature knows (the firing alerts, the outbox backlog): defined here,
 * read at scrape time through the reader the feature gives with `readFrom`. Until then it has no
 * labelled values, and an unlabelled one reads 0.
 */
export class ScrapedGauge<L extends string = string> {
  private reader?: GaugeReader<L>;

  constructor(registry: Registry, name: string, help: string, labelNames: readonly L[] = []) {
    const scraped = () => this.reader;
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        await scraped()?.(this);
      },
    });
  }

  readFrom(reader: GaugeReader<L>): void {
    this.reader = reader;
  }
}

/**
 * Every Prometheus metric of the service, defined here and nowhere else, in one registry.
 * Counters and histograms are fed as things happen (the upstream client's through the
 * UpstreamObserver interface); gauges are read at scrape time from the feature that knows them.
 */
@Injectable()
export class MetricsService implements UpstreamObserver {
  readonly registry = new Registry();

  readonly upstreamCalls = this.counter(
    'zego_upstream_calls_total',
    'Upstream calls by action and outcome (the ZEGO return code, or http_5xx, timeout, network, not_json)',
    ['action', 'code'] as const,
  );

  readonly upstreamLatency = new Histogram({
    name: 'zego_upstream_latency_seconds',
    help: 'Time from sending an upstream call to its answer',
    labelNames: ['action'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly limiterWait = new Histogram({
    name: 'zego_rate_limiter_wait_seconds',
    help: 'Time an upstream call waited for its turn in the shared rate limiter',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  readonly circuitOpen = new Gauge({
    name: 'zego_circuit_open',
    help: '1 while the upstream circuit breaker is open (calls are not attempted)',
    registers: [this.registry],
  });

  readonly callbacks = this.counter(
    'drive_status_callbacks_total',
    'ZEGO callbacks by result (accepted) or reason (rejected)',
    ['result', 'reason'] as const,
  );

  readonly groupCommitBatch = new Histogram({
    name: 'drive_status_group_commit_batch_size',
    help: 'Callbacks written per shared transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 60],
    registers: [this.registry],
  });

  /**
   * Each drive's end, counted once, after the write that records it has committed, by the replica
   * that wrote it (sum over instances). A drive marked unresolved counts then; should news of its
   * end arrive later, it is not counted a second time.
   */
  readonly drivesEnded = this.counter(
    'drive_status_drives_ended_total',
    'Drives that ended, by outcome: finished, failed, or unresolved (no news for DRIVE_STALE_AFTER_S, or left running by an ended task)',
    ['outcome'] as const,
  );

  readonly httpRequests = this.counter(
    'http_requests_total',
    'HTTP requests served, by route pattern, method and status',
    ['route', 'method', 'status'] as const,
  );

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly pageCache = this.counter(
    'drive_status_page_cache_total',
    'Drive page reads by what the rendered-page cache did: hit (sent again after its ETag check), stale (checked, read afresh), skipped (read afresh without a check: it was stale just before), miss (not kept)',
    ['result'] as const,
  );

  readonly clientMessages = this.counter(
    'drive_status_client_messages_total',
    'Room messages relayed from clients, by outcome (recorded, duplicate, ignored, refused)',
    ['outcome'] as const,
  );

  readonly backgroundRuns = this.counter(
    'drive_status_background_runs_total',
    'Runs of the background duties by duty and result (ok, failed); the lease holder runs most of them',
    ['duty', 'result'] as const,
  );

  readonly webhookDeliveries = this.counter(
    'drive_status_webhook_deliveries_total',
    'Webhook delivery attempts by result (delivered, failed: will retry, gave_up: after 24 h)',
    ['result'] as const,
  );

  readonly fleetLeaseHeld = this.scraped(
    'drive_status_fleet_lease_held',
    '1 on the replica that holds the fleet lease and runs the background duties',
  );

  readonly driveSource = this.scraped(
    'drive_status_drive_source',
    'Where drive statuses come from now: 1 for the mode in force (poll or callbacks)',
    ['mode'] as const,
  );

  readonly trackedTasks = this.scraped('drive_status_tracked_tasks', 'Tasks being tracked and not ended');

  readonly syncLag = this.scraped(
    'drive_status_sync_lag_seconds',
    'How long the most overdue tracked task has been waiting for its poll (0 when none is due)',
  );

  readonly drives = this.scraped('drive_status_drives', 'Drives of all tasks by current status', ['status'] as const);

  readonly alertsFiring = this.scraped('drive_status_alerts_firing', 'Alerts firing now (all rules and tasks)');

  readonly webhookBacklog = this.scraped(
    'drive_status_webhook_outbox_backlog',
    'Webhook deliveries waiting for their first attempt or a retry',
  );

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  private scraped<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) {
    return new ScrapedGauge<L>(this.registry, name, help, labelNames);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Every outcome from the start (at 0), so that rate() and ratios have a series before the first end.
    for (const outcome of ['finished', 'failed', 'unresolved']) this.drivesEnded.inc({ outcome }, 0);
  }

  callEnded(action: string, code: string, seconds: number): void {
    this.upstreamCalls.inc({ action, code });
    this.upstreamLatency.observe({ action }, seconds);
  }

  drivesEndedAfterCommit(ended: { failed: number; finished: number; unresolved?: number }): void {
    if (ended.failed) this.drivesEnded.inc({ outcome: 'failed' }, ended.failed);
    if (ended.finished) this.drivesEnded.inc({ outcome: 'finished' }, ended.finished);
    if (ended.unresolved) this.drivesEnded.inc({ outcome: 'unresolved' }, ended.unresolved);
  }

  limiterWaited(seconds: number): void {
    this.limiterWait.observe(seconds);
  }

  circuitChanged(open: boolean): void {
    this.circuitOpen.set(open ? 1 : 0);
  }
}
