import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamObserver } from '../zego/upstream-observer';

/**
 * Every Prometheus metric of the service, in one registry. Counters and histograms are fed as
 * things happen (the upstream client's through the UpstreamObserver interface); features add
 * gauges read at scrape time to `registry` (the status feature's tracked tasks, drives, sync lag).
 */
@Injectable()
export class MetricsService implements UpstreamObserver {
  readonly registry = new Registry();

  readonly upstreamCalls = new Counter({
    name: 'zego_upstream_calls_total',
    help: 'Upstream calls by action and outcome (the ZEGO return code, or http_5xx, timeout, network, not_json)',
    labelNames: ['action', 'code'] as const,
    registers: [this.registry],
  });

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

  readonly callbacks = new Counter({
    name: 'drive_status_callbacks_total',
    help: 'ZEGO callbacks by result (accepted) or reason (rejected)',
    labelNames: ['result', 'reason'] as const,
    registers: [this.registry],
  });

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
  readonly drivesEnded = new Counter({
    name: 'drive_status_drives_ended_total',
    help: 'Drives that ended, by outcome: finished, failed, or unresolved (no news for DRIVE_STALE_AFTER_S, or left running by an ended task)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

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
