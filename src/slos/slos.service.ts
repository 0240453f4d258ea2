import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isTimeIdKey, parseTimeIdKey, timeIdKey } from '../common/paging';
import { AppConfig } from '../config/app-config';
import { HeavyReads } from '../database/heavy-reads';
import type { DriveType } from '../drives/drives.dto';
import {
  bucketEnds,
  BURN_WINDOWS,
  BurnRates,
  BurnWindow,
  burnRate,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  planWindow,
  sloStatus,
  SloStatus,
  windowsEndingAt,
} from './slo-math';
import { CreateSloBody, SloHistory, SloList, SloStatusView, SloView } from './slos.dto';
import { SloRow, SlosRepository } from './slos.repository';

const LIST = 'slos';
/** Buckets of `interval=hour`: two days, enough to see a burn start and stop. */
const HOUR_BUCKETS = 48;

const view = (r: SloRow): SloView => ({
  id: r.id,
  name: r.name,
  objective: r.objective,
  windowDays: r.windowDays,
  taskId: r.taskId,
  type: r.driveType as DriveType | null,
  createdAt: r.createdAt.toISOString(),
});

export interface SloMeasurement extends SloStatus {
  burnRates: BurnRates;
}

/** SLO definitions, and their SLI, error budget, burn rates and history from the aggregates. */
@Injectable()
export class SlosService {
  constructor(
    private readonly slos: SlosRepository,
    private readonly config: AppConfig,
    private readonly heavy: HeavyReads,
  ) {}

  async createSlo(body: CreateSloBody): Promise<SloView> {
    const problems: string[] = [];
    if (!(body.objective > 50 && body.objective < 100))
      problems.push('objective must be a percentage above 50 and below 100 (e.g. 99.5)');
    if (body.taskId && body.type)
      problems.push('taskId and type cannot both be set: an SLO counts one task, one drive type, or every drive');
    if (problems.length) throw new BadRequestException(problems.join('; '));
    const max = this.config.SLOS_MAX;
    const row = await this.slos.create(
      {
        name: body.name,
        objective: body.objective,
        windowDays: body.windowDays ?? 28,
        taskId: body.taskId ?? null,
        driveType: body.type ?? null,
      },
      max,
    );
    if (!row) throw new ConflictException(`at most ${max} SLOs may exist (SLOS_MAX); delete one before adding another`);
    return view(row);
  }

  async listSlos(limit: number, cursor?: string): Promise<SloList> {
    const key = decodeCursor(LIST, cursor, isTimeIdKey);
    const { rows, more } = await this.slos.page(limit, key ? parseTimeIdKey(key) : null);
    const last = rows.at(-1);
    return {
      items: rows.map(view),
      nextCursor: more && last ? encodeCursor(LIST, timeIdKey(last.createdAt, last.id)) : null,
    };
  }

  async getSlo(id: string, now = new Date()): Promise<SloStatusView> {
    const row = await this.slo(id);
    return { ...view(row), ...(await this.measure(row, now)) };
  }

  async deleteSlo(id: string): Promise<void> {
    const { deleted, ruleIds } = await this.slos.delete(id);
    if (deleted) return;
    if (ruleIds.length)
      throw new ConflictException(
        `SLO ${id} is watched by alert rule(s) ${ruleIds.join(', ')}; delete those rules first`,
      );
    throw new NotFoundException(`SLO ${id} does not exist`);
  }

  /**
   * Budget left at the end of each bucket: for each end, the SLO's whole window before it, summed
   * from the hourly aggregates (hour resolution; the newest bucket ends with the current hour).
   */
  async getSloHistory(id: string, interval: 'day' | 'hour', now = new Date()): Promise<SloHistory> {
    const row = await this.slo(id);
    const windowMs = row.windowDays * DAY_MS;
    const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
    const ends = bucketEnds(end, interval, interval === 'day' ? row.windowDays : HOUR_BUCKETS);
    const start = ends[0] - windowMs;
    const hourly = await this.heavy.run(() => this.slos.hourly(row, new Date(start), new Date(end)));
    const windows = windowsEndingAt(start, hourly, ends, windowMs);
    return {
      id: row.id,
      interval,
      buckets: ends.map((e, i) => ({
        end: new Date(e).toISOString(),
        good: windows[i].good,
        bad: windows[i].bad,
        remainingFraction: sloStatus(row.objective, windows[i]).errorBudget.remainingFraction,
      })),
    };
  }

  /**
   * SLI and budget over the SLO's window, and the burn rates, all ending with the current minute.
   * Exact to the minute where the per-minute aggregates are kept (MINUTE_RETENTION_DAYS); a window
   * reaching further back starts at the next whole hour. `primary`: read the primary (the
   * evaluator decides what to write from it).
   */
  async measure(row: SloRow, now: Date, primary = false): Promise<SloMeasurement> {
    const to = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const minutesFrom = to - MINUTE_MS - this.config.MINUTE_RETENTION_DAYS * DAY_MS;
    const names = Object.keys(BURN_WINDOWS) as BurnWindow[];
    const plans = [row.windowDays * DAY_MS, ...names.map((n) => BURN_WINDOWS[n])].map((w) =>
      planWindow(to - w, to, minutesFrom),
    );
    const [whole, ...burns] = await this.slos.windowCounts(row, plans, primary);
    const burnRates = Object.fromEntries(names.map((n, i) => [n, burnRate(row.objective, burns[i])])) as BurnRates;
    return { ...sloStatus(row.objective, whole), burnRates };
  }

  private async slo(id: string): Promise<SloRow> {
    const row = await this.slos.get(id);
    if (!row) throw new NotFoundException(`SLO ${id} does not exist`);
    return row;
  }
}
