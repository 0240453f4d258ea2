import { Params, raw, sql, SqlFragment, statement } from '../database/sql';
import { DRIVE_STATUS } from '../zego/zego.types';
import type { BatchWrite } from './observation-batch';

/**
 * The aggregates every observation adds to: drives that ended (per task, per shard of tasks, per
 * drive type) and the duration histograms (per task and of all tasks), each hourly and per minute.
 * The per-minute rows serve reports with interval=minute|5m and the SLO windows under an hour
 * (docs/reports.md, "Minute resolution"); the maintenance job folds the cross-task histograms of
 * minutes that are over and deletes minutes older than MINUTE_RETENTION_DAYS.
 *
 * The steps are written once (aggregateSteps) and spliced into both writes: the single write's one
 * statement (observation-write.ts) and the batch's aggregate statement (below). Both feed them the
 * same arrays, minute-stamped deltas, of which the hourly rows take the hour. The tables are
 * written in one fixed order, rows in key order, so concurrent writers never wait on each other in
 * a circle.
 */

/** Aggregate deltas of one or many observations, as the statements take them. */
export interface AggregateParams {
  /** Drives that ended, per task and minute. */
  outcomeTaskIds: string[];
  outcomeMinutes: Date[];
  outcomeFailed: number[];
  outcomeFinished: number[];
  /** Drives of a registered type that ended: type, minute, final status. */
  typedTypes: string[];
  typedMinutes: Date[];
  typedStatuses: number[];
  /** Histogram cells: task, metric, minute, bucket, drives (may be negative: a drive moved cell). */
  cellTaskIds: string[];
  cellMetrics: number[];
  cellMinutes: Date[];
  cellBuckets: number[];
  cellDrives: number[];
}

/** The planned deltas (planBatch's, or the single write's in the same shape) as parameters. */
export function aggregateParams(
  ended: BatchWrite['outcomes'],
  typed: BatchWrite['typed'],
  durations: BatchWrite['durations'],
): AggregateParams {
  return {
    outcomeTaskIds: ended.map((a) => a.taskId),
    outcomeMinutes: ended.map((a) => new Date(a.minute)),
    outcomeFailed: ended.map((a) => a.failed),
    outcomeFinished: ended.map((a) => a.finished),
    typedTypes: typed.map((t) => t.type),
    typedMinutes: typed.map((t) => new Date(t.minute)),
    typedStatuses: typed.map((t) => t.status),
    cellTaskIds: durations.map((d) => d.taskId),
    cellMetrics: durations.map((d) => d.metric),
    cellMinutes: durations.map((d) => new Date(d.minute)),
    cellBuckets: durations.map((d) => d.bucket),
    cellDrives: durations.map((d) => d.drives),
  };
}

/** The two resolutions: table suffix, key column, and the key of a minute-stamped delta. */
export const GRAINS = [
  { grain: 'hour', table: 'hourly', column: 'hour', of: (minute: string) => `date_trunc('hour', ${minute}, 'UTC')` },
  { grain: 'minute', table: 'minute', column: 'minute', of: (minute: string) => minute },
] as const;

const FAILED = raw(DRIVE_STATUS.failed);
const FINISHED = raw(DRIVE_STATUS.finished);
const ADD_OUTCOMES = sql`DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished`;

/** One resolution's five steps (CTEs, comma-separated, no leading WITH). */
function stepsOf(g: (typeof GRAINS)[number], p: Params<AggregateParams>): SqlFragment {
  const t = raw(g.table);
  const col = raw(g.column);
  const key = raw(g.of('minute'));
  const outcomes = sql`unnest(${p.outcomeTaskIds}::text[], ${p.outcomeMinutes}::timestamptz[], ${p.outcomeFailed}::int[],
                             ${p.outcomeFinished}::int[]) AS x(task_id, minute, failed, finished)`;
  const cells = sql`unnest(${p.cellTaskIds}::text[], ${p.cellMetrics}::smallint[], ${p.cellMinutes}::timestamptz[],
                             ${p.cellBuckets}::smallint[], ${p.cellDrives}::int[]) AS c(task_id, metric, minute, bucket, drives)`;
  return sql`${raw(g.grain)}_outcome AS (
         INSERT INTO drive_outcome_${t} AS o (task_id, ${col}, failed, finished)
         SELECT task_id, ${key}, sum(failed)::int, sum(finished)::int FROM ${outcomes}
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (task_id, ${col}) ${ADD_OUTCOMES}
       ), ${raw(g.grain)}_outcome_shard AS (
         INSERT INTO drive_outcome_${t}_shard AS o (${col}, shard, failed, finished)
         SELECT ${key}, (hashtext(task_id) & 15)::smallint, sum(failed)::int, sum(finished)::int FROM ${outcomes}
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (${col}, shard) ${ADD_OUTCOMES}
       ), ${raw(g.grain)}_outcome_type AS (
         INSERT INTO drive_outcome_${t}_type AS o (drive_type, ${col}, failed, finished)
         SELECT drive_type, ${key}, count(*) FILTER (WHERE status = ${FAILED})::int,
                count(*) FILTER (WHERE status = ${FINISHED})::int
           FROM unnest(${p.typedTypes}::text[], ${p.typedMinutes}::timestamptz[], ${p.typedStatuses}::smallint[])
                AS x(drive_type, minute, status)
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (drive_type, ${col}) ${ADD_OUTCOMES}
       ), ${raw(g.grain)}_durations AS (
         INSERT INTO drive_duration_${t} AS h (task_id, metric, ${col}, bucket, drives)
         SELECT task_id, metric, ${key}, bucket, sum(drives)::int FROM ${cells}
          GROUP BY 1, 2, 3, 4 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3, 4
         ON CONFLICT (task_id, metric, ${col}, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
       ), ${raw(g.grain)}_durations_all AS (
         INSERT INTO drive_duration_${t}_all AS h (metric, ${col}, bucket, drives)
         SELECT metric, ${key}, bucket, sum(drives)::int FROM ${cells}
          GROUP BY 1, 2, 3 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3
         ON CONFLICT (metric, ${col}, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
       )`;
}

/**
 * Every aggregate step, hourly tables first, then per minute: CTEs to splice after `WITH ...,`.
 * The deltas of one row are summed first (a batch lists one per event), so each row is written once.
 */
export const aggregateSteps = (p: Params<AggregateParams>): SqlFragment =>
  sql`${stepsOf(GRAINS[0], p)},
       ${stepsOf(GRAINS[1], p)}`;

/** A batch's aggregates, in one statement (ObservationBatchWriter, after its changes). */
export const BATCH_AGGREGATES = statement<AggregateParams>(
  'observation-aggregates',
  (p) => sql`WITH ${aggregateSteps(p)}
       SELECT 1`,
  { prepared: true },
);

/** True when there is nothing to add. */
export const noAggregates = (a: AggregateParams): boolean =>
  !a.outcomeTaskIds.length && !a.typedTypes.length && !a.cellTaskIds.length;
