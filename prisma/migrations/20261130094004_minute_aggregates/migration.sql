-- CreateTable
CREATE TABLE "drive_outcome_minute" (
    "task_id" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_outcome_minute_pkey" PRIMARY KEY ("task_id","minute")
);

-- CreateTable
CREATE TABLE "drive_outcome_minute_shard" (
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "shard" SMALLINT NOT NULL,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_outcome_minute_shard_pkey" PRIMARY KEY ("minute","shard")
);

-- CreateTable
CREATE TABLE "drive_outcome_minute_type" (
    "drive_type" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_outcome_minute_type_pkey" PRIMARY KEY ("drive_type","minute")
);

-- CreateTable
CREATE TABLE "drive_duration_minute" (
    "task_id" TEXT NOT NULL,
    "metric" SMALLINT NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "drives" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_duration_minute_pkey" PRIMARY KEY ("task_id","metric","minute","bucket")
);

-- CreateTable
CREATE TABLE "drive_duration_minute_all" (
    "metric" SMALLINT NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "drives" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_duration_minute_all_pkey" PRIMARY KEY ("metric","minute","bucket")
);

-- CreateTable
CREATE TABLE "drive_duration_minute_packed" (
    "metric" SMALLINT NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "histogram" BYTEA NOT NULL,

    CONSTRAINT "drive_duration_minute_packed_pkey" PRIMARY KEY ("metric","minute","id")
);

-- CreateIndex
CREATE INDEX "drive_outcome_minute_minute_idx" ON "drive_outcome_minute"("minute");

-- CreateIndex
CREATE INDEX "drive_duration_minute_minute_idx" ON "drive_duration_minute"("minute");

-- Folds the cross-task minute histograms of minutes before `before` into one packed row per metric
-- and minute, as fold_duration_histograms does for hours (the rows folded are deleted by the same
-- statement, so concurrent folds and readers never count a drive twice).
CREATE FUNCTION fold_minute_histograms(before timestamptz) RETURNS integer
LANGUAGE sql AS $$
  WITH gone AS (
    DELETE FROM drive_duration_minute_all WHERE minute < before RETURNING metric, minute, bucket, drives
  ), folded AS (
    INSERT INTO drive_duration_minute_packed (metric, minute, histogram)
    SELECT metric, minute, string_agg(int2send(bucket) || int4send(drives), ''::bytea ORDER BY bucket)
      FROM (SELECT metric, minute, bucket, sum(drives)::int AS drives FROM gone
             GROUP BY 1, 2, 3 HAVING sum(drives) <> 0) s
     GROUP BY metric, minute
    RETURNING 1
  )
  SELECT count(*)::int FROM folded
$$;

-- Deletes at most `batch` rows of minutes before `before` from each per-minute table (by ctid, so
-- each call is a short transaction that holds few locks and leaves the writers alone); returns the
-- rows deleted. The maintenance job calls it until it returns less than one full batch per table.
CREATE FUNCTION prune_minute_aggregates(before timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  tbl text;
  n integer;
  total integer := 0;
BEGIN
  FOREACH tbl IN ARRAY ARRAY['drive_outcome_minute', 'drive_outcome_minute_shard', 'drive_outcome_minute_type',
                             'drive_duration_minute', 'drive_duration_minute_all', 'drive_duration_minute_packed']
  LOOP
    EXECUTE format('DELETE FROM %I WHERE ctid = ANY(ARRAY(SELECT ctid FROM %I WHERE minute < $1 LIMIT $2))', tbl, tbl)
      USING before, batch;
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
  END LOOP;
  RETURN total;
END
$$;

-- Back-fill: the last 7 days (MINUTE_RETENTION_DAYS' default) of minutes, from history and the
-- drives' timings, so minute reports work at once over ranges that began before the upgrade.
CREATE TEMP TABLE minute_backfill_ended ON COMMIT DROP AS
  SELECT h."task_id", date_trunc('minute', h."observed_at") AS minute, h."status", d."drive_type"
    FROM "drive_history" h JOIN "drive" d ON d."id" = h."drive_row_id"
   WHERE h."observed_at" >= date_trunc('minute', now()) - interval '7 days' AND h."status" IN (3, 4);

INSERT INTO "drive_outcome_minute" ("task_id", "minute", "failed", "finished")
SELECT "task_id", minute, count(*) FILTER (WHERE "status" = 3)::int, count(*) FILTER (WHERE "status" = 4)::int
  FROM minute_backfill_ended GROUP BY 1, 2;

INSERT INTO "drive_outcome_minute_shard" ("minute", "shard", "failed", "finished")
SELECT "minute", (hashtext("task_id") & 15)::smallint, sum("failed")::int, sum("finished")::int
  FROM "drive_outcome_minute" GROUP BY 1, 2;

INSERT INTO "drive_outcome_minute_type" ("drive_type", "minute", "failed", "finished")
SELECT "drive_type", minute, count(*) FILTER (WHERE "status" = 3)::int, count(*) FILTER (WHERE "status" = 4)::int
  FROM minute_backfill_ended WHERE "drive_type" IS NOT NULL GROUP BY 1, 2;

-- A drive's playing_at / ended_at is never later than the history entry of that status, so the
-- drives with such an entry in the last 7 days hold every timing of those days.
INSERT INTO "drive_duration_minute" ("task_id", "metric", "minute", "bucket", "drives")
WITH recent AS (
  SELECT * FROM "drive" WHERE "id" IN (
    SELECT "drive_row_id" FROM "drive_history"
     WHERE "observed_at" >= date_trunc('minute', now()) - interval '7 days' AND "status" IN (2, 3, 4))
)
SELECT "task_id", metric, date_trunc('minute', at_), duration_bucket(ms), count(*)::int
  FROM (SELECT "task_id", 1::smallint AS metric, "playing_at" AS at_,
               floor((extract(epoch FROM "playing_at") - extract(epoch FROM "queued_at")) * 1000)::bigint AS ms
          FROM recent WHERE "queued_at" IS NOT NULL AND "playing_at" IS NOT NULL
        UNION ALL
        SELECT "task_id", 2::smallint, "ended_at",
               floor((extract(epoch FROM "ended_at") - extract(epoch FROM "playing_at")) * 1000)::bigint
          FROM recent WHERE "playing_at" IS NOT NULL AND "ended_at" IS NOT NULL) t
 WHERE at_ >= date_trunc('minute', now()) - interval '7 days'
 GROUP BY 1, 2, 3, 4;

INSERT INTO "drive_duration_minute_all" ("metric", "minute", "bucket", "drives")
SELECT "metric", "minute", "bucket", sum("drives")::int FROM "drive_duration_minute" GROUP BY 1, 2, 3;

SELECT fold_minute_histograms(date_trunc('minute', now()) - interval '1 minute');
