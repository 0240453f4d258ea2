import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { BackgroundLoop, DutyOptions } from './background-loop';
import { FleetLease, LEASE_CHECK_MS } from './fleet-lease.service';

/** A duty as features register it: where it runs, plus the loop's options. */
export interface FleetDuty extends DutyOptions {
  /**
   * `lease-holder` (the default): on exactly one replica of the fleet, the holder of the fleet lease;
   * `gate`, if given, must also be open. `every-replica`: on each replica (work that is this
   * replica's own).
   */
  runOn?: 'lease-holder' | 'every-replica';
}

export interface DutiesView {
  leaseHolder: boolean;
  leaseHeldSince: string | null;
  duties: Array<{ name: string; runOn: 'lease-holder' | 'every-replica' }>;
}

/**
 * Every background duty of the service, in one place. A feature registers its duty once (in its
 * constructor or `onModuleInit`); the duties start when the application has booted and stop in one
 * order at shutdown: every loop stops taking new runs, the runs in flight (and what they started)
 * finish, and only then is the fleet lease given up, so the next holder never overlaps this one.
 * The database pool closes after that (its hook comes later in Nest's shutdown).
 */
@Injectable()
export class BackgroundDuties implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BackgroundDuties.name);
  private readonly loops: BackgroundLoop[] = [];
  private readonly leaseLoop: BackgroundLoop;
  private started = false;
  private stopping?: Promise<void>;

  constructor(
    private readonly lease: FleetLease,
    private readonly metrics: MetricsService,
  ) {
    metrics.fleetLeaseHeld.readFrom((gauge) => gauge.set(lease.held ? 1 : 0));
    this.leaseLoop = new BackgroundLoop(
      { name: 'fleet-lease', everyMs: LEASE_CHECK_MS, firstAfterMs: 0, jitter: 0, run: () => this.lease.check() },
      this.logger,
    );
  }

  /** True on the replica that runs the fleet's duties now. */
  get leaseHeld(): boolean {
    return this.lease.held;
  }

  /** Adds a duty; it starts with the others (at once if they already have). Returns its loop (for `trigger`). */
  register(duty: FleetDuty): BackgroundLoop {
    const runOn = duty.runOn ?? 'lease-holder';
    const gate =
      runOn === 'every-replica' ? duty.gate : duty.gate ? () => this.lease.held && duty.gate!() : () => this.lease.held;
    const loop = new BackgroundLoop({ ...duty, runOn, gate } as FleetDuty, this.logger, (ok) =>
      this.metrics.backgroundRuns.inc({ duty: duty.name, result: ok ? 'ok' : 'failed' }),
    );
    this.loops.push(loop);
    if (this.started) loop.start();
    return loop;
  }

  view(): DutiesView {
    return {
      leaseHolder: this.lease.held,
      leaseHeldSince: this.lease.since?.toISOString() ?? null,
      duties: this.loops.map((l) => ({
        name: l.options.name,
        runOn: (l.options as FleetDuty).runOn ?? 'lease-holder',
      })),
    };
  }

  onApplicationBootstrap(): void {
    this.started = true;
    this.leaseLoop.start();
    for (const loop of this.loops) loop.start();
    this.logger.log(`background duties: ${this.loops.map((l) => l.options.name).join(', ')}`);
  }

  /** The one shutdown order: stop every loop and wait for its run, then give the lease up. */
  onModuleDestroy(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.loops.map((l) => l.stop()));
      await this.leaseLoop.stop();
      await this.lease.release();
    })();
    return this.stopping;
  }
}
