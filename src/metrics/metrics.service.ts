import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PrismaService } from '../database/prisma.service';

/**
 * Every Prometheus metric of the service, in one registry. Counters and histograms are fed as
 * things happen; the database-derived gauges (tracked tasks, drives by status, sync lag) are read
 * when /metrics is scraped.
 */
@Injectable()
export class MetricsService {
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

  constructor(private readonly prisma: PrismaService) {
    collectDefaultMetrics({ register: this.registry });
    const snapshot = () => this.snapshot();
    new Gauge({
      name: 'drive_status_tracked_tasks',
      help: 'Tasks being tracked and not ended',
      registers: [this.registry],
      async collect() {
        this.set((await snapshot()).tracked);
      },
    });
    new Gauge({
      name: 'drive_status_sync_lag_seconds',
      help: 'How long the most overdue tracked task has been waiting for its poll (0 when none is due)',
      registers: [this.registry],
      async collect() {
        this.set((await snapshot()).lagSeconds);
      },
    });
    new Gauge({
      name: 'drive_status_drives',
      help: 'Drives of all tasks by current status',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const s = await snapshot();
        for (const status of ['queued', 'playing', 'failed', 'finished'] as const)
          this.set({ status }, s.drives[status]);
      },
    });
  }

  private pending?: Promise<StatusSnapshot>;
  private cached?: { at: number; value: StatusSnapshot };

  /** One query for all the database-derived numbers, shared by a scrape's gauges (and /status). */
  async snapshot(): Promise<StatusSnapshot> {
    if (this.cached && Date.now() - this.cached.at < 500) return this.cached.value;
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load(): Promise<StatusSnapshot> {
    const { rows } = await this.prisma.pool.query<{
      tracked: number;
      lag: number;
      queued: number;
      playing: number;
      failed: number;
      finished: number;
    }>(
      `SELECT count(*) FILTER (WHERE tracking AND ended_at IS NULL)::int AS tracked,
              coalesce(extract(epoch FROM now() - min(next_poll_at) FILTER (WHERE tracking AND ended_at IS NULL AND next_poll_at < now())), 0)::float8 AS lag,
              coalesce(sum(queued), 0)::int AS queued, coalesce(sum(playing), 0)::int AS playing,
              coalesce(sum(failed), 0)::int AS failed, coalesce(sum(finished), 0)::int AS finished
         FROM task`,
    );
    const r = rows[0];
    const value = {
      tracked: r.tracked,
      lagSeconds: r.lag,
      drives: { queued: r.queued, playing: r.playing, failed: r.failed, finished: r.finished },
    };
    this.cached = { at: Date.now(), value };
    return value;
  }
}

export interface StatusSnapshot {
  tracked: number;
  lagSeconds: number;
  drives: { queued: number; playing: number; failed: number; finished: number };
}
