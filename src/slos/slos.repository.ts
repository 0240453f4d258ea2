import { Injectable } from '@nestjs/common';
import { insertUnderCap } from '../database/capped-insert';
import { PrismaService } from '../database/prisma.service';
import { ReadDatabase } from '../database/read-database';
import { Prisma, type Slo } from '../generated/prisma/client';
import { Counts, Range } from './slo-math';

export type SloRow = Slo;

export interface SloInput {
  name: string;
  objective: number;
  windowDays: number;
  taskId: string | null;
  driveType: string | null;
}

/** What an SLO counts: one task, one drive type, or every drive. */
export interface SloScope {
  taskId: string | null;
  driveType: string | null;
}

/** The ranges one window reads (planWindow). */
export interface WindowPlan {
  minutes: Range[];
  hours: Range[];
  unresolved: Range;
}

/**
 * The aggregate tables of a scope and the condition that picks its rows: a task's own rows, a
 * drive type's, or the 16 shards of every task. Table names are constants, never input.
 */
function source(scope: SloScope, grain: 'minute' | 'hour', alias: string) {
  const a = Prisma.raw(alias);
  if (scope.taskId !== null)
    return {
      table: Prisma.raw(`drive_outcome_${grain === 'minute' ? 'minute' : 'hourly'} ${alias}`),
      where: Prisma.sql`${a}.task_id = ${scope.taskId}`,
    };
  if (scope.driveType !== null)
    return {
      table: Prisma.raw(`drive_outcome_${grain === 'minute' ? 'minute' : 'hourly'}_type ${alias}`),
      where: Prisma.sql`${a}.drive_type = ${scope.driveType}`,
    };
  return {
    table: Prisma.raw(`drive_outcome_${grain === 'minute' ? 'minute' : 'hourly'}_shard ${alias}`),
    where: Prisma.sql`TRUE`,
  };
}

/** The drives of a scope, written out (not `$x IS NULL OR ...`) so the planner can pick the index. */
function unresolvedScope(scope: SloScope) {
  if (scope.taskId !== null) return Prisma.sql`d.task_id = ${scope.taskId}`;
  if (scope.driveType !== null) return Prisma.sql`d.drive_type = ${scope.driveType}`;
  return Prisma.sql`TRUE`;
}

const dates = (ranges: Range[], side: 0 | 1) => ranges.map((r) => new Date(r[side]));

/** SLO definitions, and the counts of their windows from the outcome aggregates. */
@Injectable()
export class SlosRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly read: ReadDatabase,
  ) {}

  /** Adds an SLO unless `max` exist already (then null): counted and written under one lock. */
  create(input: SloInput, max: number): Promise<SloRow | null> {
    return insertUnderCap(
      this.prisma,
      'slo',
      max,
      (tx) => tx.slo.count(),
      (tx) => tx.slo.create({ data: input }),
    );
  }

  /** A page of SLOs, oldest first; keyset on (createdAt, id). */
  async page(limit: number, after: { at: Date; id: string } | null) {
    const rows = await this.read.prisma.slo.findMany({
      where: after
        ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit + 1,
    });
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /** One SLO; from the primary when `primary` (the evaluator, and checks before writes). */
  get(id: string, primary = false): Promise<SloRow | null> {
    return (primary ? this.prisma : this.read.prisma).slo.findUnique({ where: { id } });
  }

  /** The SLOs of these ids that exist (the evaluator's lookup). */
  async byIds(ids: string[]): Promise<Map<string, SloRow>> {
    if (!ids.length) return new Map();
    const rows = await this.prisma.slo.findMany({ where: { id: { in: ids } } });
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Deletes an SLO unless alert rules watch it: then nothing is deleted and their ids come back.
   * The rules are looked at under a lock on the SLO's row, so a rule added meanwhile (which must
   * see the SLO) cannot slip in between; the foreign key refuses it anyway.
   */
  delete(id: string): Promise<{ deleted: boolean; ruleIds: string[] }> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM slo WHERE id = ${id}::uuid FOR UPDATE`;
      if (!locked.length) return { deleted: false, ruleIds: [] };
      const rules = await tx.alertRule.findMany({
        where: { sloId: id },
        select: { id: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      if (rules.length) return { deleted: false, ruleIds: rules.map((r) => r.id) };
      await tx.slo.delete({ where: { id } });
      return { deleted: true, ruleIds: [] };
    });
  }

  /**
   * Good and bad drives of each window planned (planWindow), in one statement whatever the number
   * of windows: the minute ranges, the hour ranges, and the drives still unresolved (through the
   * partial indexes that hold only those), one part each. One statement holds one pool connection,
   * so the evaluator can measure several SLOs at once within the pool's reserve. Reads the replica
   * unless `primary`.
   */
  async windowCounts(scope: SloScope, plans: WindowPlan[], primary = false): Promise<Counts[]> {
    const db = primary ? this.prisma : this.read.prisma;
    const parts: Prisma.Sql[] = [];
    for (const grain of ['minute', 'hour'] as const) {
      const idx: number[] = [];
      const ranges: Range[] = [];
      plans.forEach((p, i) =>
        (grain === 'minute' ? p.minutes : p.hours).forEach((r) => {
          idx.push(i);
          ranges.push(r);
        }),
      );
      if (!ranges.length) continue;
      const { table, where } = source(scope, grain, 'o');
      const column = Prisma.raw(`o.${grain}`);
      // One index range scan per range (LATERAL): a join on two inequalities would scan the table.
      parts.push(Prisma.sql`
        SELECT r.i, s.good, s.failed AS bad
          FROM unnest(${idx}::int[], ${dates(ranges, 0)}::timestamptz[], ${dates(ranges, 1)}::timestamptz[]) AS r(i, f, t)
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(o.finished), 0)::int AS good, coalesce(sum(o.failed), 0)::int AS failed
             FROM ${table} WHERE ${where} AND ${column} >= r.f AND ${column} < r.t) s`);
    }
    // The partial indexes hold only unresolved drives: (task_id, unresolved_at) and (unresolved_at).
    parts.push(Prisma.sql`
      SELECT r.i, 0 AS good, (SELECT count(*)::int FROM drive d
                               WHERE d.unresolved_at >= r.f AND d.unresolved_at < r.t AND ${unresolvedScope(scope)}) AS bad
        FROM unnest(${plans.map((_, i) => i)}::int[], ${plans.map((p) => new Date(p.unresolved[0]))}::timestamptz[],
                    ${plans.map((p) => new Date(p.unresolved[1]))}::timestamptz[]) AS r(i, f, t)`);
    const rows = await db.$queryRaw<
      Array<{ i: number; good: number; bad: number }>
    >`${Prisma.join(parts, ' UNION ALL ')}`;
    const out: Counts[] = plans.map(() => ({ good: 0, bad: 0 }));
    for (const r of rows) {
      out[r.i].good += r.good;
      out[r.i].bad += r.bad;
    }
    return out;
  }

  /** Good and bad drives per UTC hour in [from, to), one entry an hour (zeros included), from the replica. */
  async hourly(scope: SloScope, from: Date, to: Date): Promise<Counts[]> {
    const { table, where } = source(scope, 'hour', 'o');
    const [ended, unresolved] = await Promise.all([
      this.read.prisma.$queryRaw<Array<{ hour: Date; good: number; failed: number }>>`
        SELECT o.hour, sum(o.finished)::int AS good, sum(o.failed)::int AS failed
          FROM ${table} WHERE ${where} AND o.hour >= ${from} AND o.hour < ${to}
         GROUP BY o.hour`,
      this.read.prisma.$queryRaw<Array<{ hour: Date; n: number }>>`
        SELECT date_trunc('hour', d.unresolved_at, 'UTC') AS hour, count(*)::int AS n
          FROM drive d
         WHERE d.unresolved_at >= ${from} AND d.unresolved_at < ${to} AND ${unresolvedScope(scope)}
         GROUP BY 1`,
    ]);
    const hours = Math.round((to.getTime() - from.getTime()) / 3_600_000);
    const out: Counts[] = Array.from({ length: hours }, () => ({ good: 0, bad: 0 }));
    const at = (hour: Date) => out[Math.round((hour.getTime() - from.getTime()) / 3_600_000)];
    for (const r of ended) {
      const c = at(r.hour);
      c.good += r.good;
      c.bad += r.failed;
    }
    for (const r of unresolved) at(r.hour).bad += r.n;
    return out;
  }
}
