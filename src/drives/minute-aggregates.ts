/**
 * The per-minute aggregates: the hourly outcome counts and duration histograms again at minute
 * resolution, for reports with interval=minute|5m and the SLO burn-rate windows under an hour
 * (docs/reports.md, "Minute resolution"). They are written by the same statements as the hourly ones (extra
 * CTEs, no extra round trip), each table after its hourly counterpart in the same order in the
 * single and the batch write, rows in key order, so writers never wait on each other in a circle.
 * The maintenance job folds the cross-task histograms of minutes that are over and deletes minutes
 * older than MINUTE_RETENTION_DAYS.
 */

export const MINUTE_MS = 60_000;

/**
 * The single write's minute CTEs (ObservationsRepository.writeIn), after its hourly ones. Uses the
 * statement's parameters: $1 task, $5 observed at, $7 failed, $8 finished, the `saved` and `input`
 * CTEs (drive types), and $31-$34 the histogram deltas (metric, minute, bucket, drives).
 */
export const SINGLE_WRITE_MINUTE_CTES = `
     outcome_minute AS (
       INSERT INTO drive_outcome_minute AS o (task_id, minute, failed, finished)
       SELECT $1::text, date_trunc('minute', $5::timestamptz, 'UTC'), $7::int, $8::int WHERE $7::int + $8::int > 0
       ON CONFLICT (task_id, minute) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
     ), outcome_minute_all AS (
       INSERT INTO drive_outcome_minute_shard AS o (minute, shard, failed, finished)
       SELECT date_trunc('minute', $5::timestamptz, 'UTC'), (hashtext($1::text) & 15)::smallint, $7::int, $8::int
        WHERE $7::int + $8::int > 0
       ON CONFLICT (minute, shard) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
     ), outcome_minute_type AS (
       INSERT INTO drive_outcome_minute_type AS o (drive_type, minute, failed, finished)
       SELECT saved.drive_type, date_trunc('minute', $5::timestamptz, 'UTC'),
              count(*) FILTER (WHERE input.status = 3)::int, count(*) FILTER (WHERE input.status = 4)::int
       FROM saved JOIN input USING (drive_id)
       WHERE saved.drive_type IS NOT NULL AND input.status IN (3, 4) GROUP BY saved.drive_type
       ON CONFLICT (drive_type, minute) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
     ), durations_minute AS (
       INSERT INTO drive_duration_minute AS h (task_id, metric, minute, bucket, drives)
       SELECT $1::text, metric, minute, bucket, drives
         FROM unnest($31::smallint[], $32::timestamptz[], $33::smallint[], $34::int[]) AS c(metric, minute, bucket, drives)
        ORDER BY metric, minute, bucket
       ON CONFLICT (task_id, metric, minute, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
     ), durations_minute_all AS (
       INSERT INTO drive_duration_minute_all AS h (metric, minute, bucket, drives)
       SELECT metric, minute, bucket, drives
         FROM unnest($31::smallint[], $32::timestamptz[], $33::smallint[], $34::int[]) AS c(metric, minute, bucket, drives)
        ORDER BY metric, minute, bucket
       ON CONFLICT (metric, minute, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
     )`;

/**
 * The batch write's minute CTEs (ObservationsRepository.writeAggregates), after its hourly ones,
 * on the same arrays: $1-$4 outcomes (task, minute, failed, finished), $5-$7 typed ends (type,
 * minute, status), $8-$12 histogram deltas (task, metric, minute, bucket, drives). The deltas of
 * one cell are summed first (planBatch lists one per event), so each row is written once.
 */
export const BATCH_WRITE_MINUTE_CTES = `
       outcome_minute AS (
         INSERT INTO drive_outcome_minute AS o (task_id, minute, failed, finished)
         SELECT task_id, minute, sum(failed)::int, sum(finished)::int
           FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[]) AS x(task_id, minute, failed, finished)
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (task_id, minute) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       ), outcome_minute_all AS (
         INSERT INTO drive_outcome_minute_shard AS o (minute, shard, failed, finished)
         SELECT minute, (hashtext(task_id) & 15)::smallint, sum(failed)::int, sum(finished)::int
           FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[]) AS x(task_id, minute, failed, finished)
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (minute, shard) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       ), outcome_minute_type AS (
         INSERT INTO drive_outcome_minute_type AS o (drive_type, minute, failed, finished)
         SELECT drive_type, minute, count(*) FILTER (WHERE status = 3)::int, count(*) FILTER (WHERE status = 4)::int
           FROM unnest($5::text[], $6::timestamptz[], $7::smallint[]) AS x(drive_type, minute, status)
          GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (drive_type, minute) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       ), durations_minute AS (
         INSERT INTO drive_duration_minute AS h (task_id, metric, minute, bucket, drives)
         SELECT task_id, metric, minute, bucket, sum(drives)::int
           FROM unnest($8::text[], $9::smallint[], $10::timestamptz[], $11::smallint[], $12::int[]) AS c(task_id, metric, minute, bucket, drives)
          GROUP BY 1, 2, 3, 4 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3, 4
         ON CONFLICT (task_id, metric, minute, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
       ), durations_minute_all AS (
         INSERT INTO drive_duration_minute_all AS h (metric, minute, bucket, drives)
         SELECT metric, minute, bucket, sum(drives)::int
           FROM unnest($9::smallint[], $10::timestamptz[], $11::smallint[], $12::int[]) AS c(metric, minute, bucket, drives)
          GROUP BY 1, 2, 3 HAVING sum(drives) <> 0 ORDER BY 1, 2, 3
         ON CONFLICT (metric, minute, bucket) DO UPDATE SET drives = h.drives + EXCLUDED.drives
       )`;

/**
 * keepRegistration's minute CTE: a drive that had ended without a type, counted for its type now
 * at the minute it ended (`old` is the drive as it was, $3 the type).
 */
export const REGISTRATION_MINUTE_CTE = `
       typed_minute AS (
         INSERT INTO drive_outcome_minute_type AS o (drive_type, minute, failed, finished)
         SELECT $3, date_trunc('minute', old.status_changed_at, 'UTC'), (old.status = 3)::int, (old.status = 4)::int
         FROM old WHERE old.drive_type IS NULL AND $3::text IS NOT NULL AND old.status IN (3, 4)
         ON CONFLICT (drive_type, minute) DO UPDATE SET failed = o.failed + EXCLUDED.failed, finished = o.finished + EXCLUDED.finished
       )`;
