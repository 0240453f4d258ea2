-- AlterTable
ALTER TABLE "drive" ADD COLUMN     "ended_at" TIMESTAMPTZ(3),
ADD COLUMN     "playing_at" TIMESTAMPTZ(3),
ADD COLUMN     "queued_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "drive_duration_hourly" (
    "task_id" TEXT NOT NULL,
    "metric" SMALLINT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "drives" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_duration_hourly_pkey" PRIMARY KEY ("task_id","metric","hour","bucket")
);

-- CreateTable
CREATE TABLE "drive_duration_hourly_all" (
    "metric" SMALLINT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "drives" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_duration_hourly_all_pkey" PRIMARY KEY ("metric","hour","bucket")
);

-- CreateIndex
CREATE INDEX "drive_duration_hourly_hour_idx" ON "drive_duration_hourly"("metric", "hour");

-- CreateTable
CREATE TABLE "drive_duration_hourly_packed" (
    "metric" SMALLINT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "histogram" BYTEA NOT NULL,

    CONSTRAINT "drive_duration_hourly_packed_pkey" PRIMARY KEY ("metric","hour","id")
);

-- The histogram bucket of a duration in ms, exactly as src/drives/durations.ts computes it: below
-- 32 ms one bucket per ms, above that 32 buckets per power of two (integer arithmetic only).
CREATE FUNCTION duration_bucket(ms bigint) RETURNS smallint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (CASE WHEN d < 32 THEN d ELSE 32 + (e - 5) * 32 + ((d >> (e - 5)) - 32) END)::smallint
    FROM (SELECT d, length(ltrim(d::bit(32)::text, '0')) - 1 AS e
            FROM (SELECT GREATEST(0, LEAST(ms, 2147483647))::int AS d) c) b
$$;

-- Folds the cross-task histogram rows of hours before `before` into one packed row per metric
-- and hour (see schema.prisma). Safe to run anywhere at any time: the rows folded are deleted in
-- the same statement, so a concurrent fold finds them gone and a reader never counts them twice.
CREATE FUNCTION fold_duration_histograms(before timestamptz) RETURNS integer
LANGUAGE sql AS $$
  WITH gone AS (
    DELETE FROM drive_duration_hourly_all WHERE hour < before RETURNING metric, hour, bucket, drives
  ), folded AS (
    INSERT INTO drive_duration_hourly_packed (metric, hour, histogram)
    SELECT metric, hour, string_agg(int2send(bucket) || int4send(drives), ''::bytea ORDER BY bucket)
      FROM (SELECT metric, hour, bucket, sum(drives)::int AS drives FROM gone
             GROUP BY 1, 2, 3 HAVING sum(drives) <> 0) s
     GROUP BY metric, hour
    RETURNING 1
  )
  SELECT count(*)::int FROM folded
$$;

-- A packed histogram as rows again (for checks and ad-hoc queries).
CREATE FUNCTION unpack_duration_histogram(histogram bytea) RETURNS TABLE (bucket integer, drives integer)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (get_byte(histogram, i) << 8) | get_byte(histogram, i + 1),
         (get_byte(histogram, i + 2) << 24) | (get_byte(histogram, i + 3) << 16) | (get_byte(histogram, i + 4) << 8)
           | get_byte(histogram, i + 5)
    FROM generate_series(0, length(histogram) - 6, 6) AS i
$$;

-- Backfill: every drive gets the earliest recorded time of each status from its history (a drive
-- has at most one terminal entry, since terminal statuses never change).
UPDATE "drive" d SET "queued_at" = h.q, "playing_at" = h.p, "ended_at" = CASE WHEN d."status" IN (3, 4) THEN h.e END
  FROM (SELECT "drive_row_id",
               min("observed_at") FILTER (WHERE "status" = 1) AS q,
               min("observed_at") FILTER (WHERE "status" = 2) AS p,
               min("observed_at") FILTER (WHERE "status" IN (3, 4)) AS e
          FROM "drive_history" GROUP BY "drive_row_id") h
 WHERE h."drive_row_id" = d."id";

-- Backfill: the histograms of those timings, per task and across tasks.
INSERT INTO "drive_duration_hourly" ("task_id", "metric", "hour", "bucket", "drives")
SELECT "task_id", metric, date_trunc('hour', at_, 'UTC'), duration_bucket(ms), count(*)::int
  FROM (SELECT "task_id", 1::smallint AS metric, "playing_at" AS at_,
               floor((extract(epoch FROM "playing_at") - extract(epoch FROM "queued_at")) * 1000)::bigint AS ms
          FROM "drive" WHERE "queued_at" IS NOT NULL AND "playing_at" IS NOT NULL
        UNION ALL
        SELECT "task_id", 2::smallint, "ended_at",
               floor((extract(epoch FROM "ended_at") - extract(epoch FROM "playing_at")) * 1000)::bigint
          FROM "drive" WHERE "playing_at" IS NOT NULL AND "ended_at" IS NOT NULL) t
 GROUP BY 1, 2, 3, 4;

INSERT INTO "drive_duration_hourly_all" ("metric", "hour", "bucket", "drives")
SELECT "metric", "hour", "bucket", sum("drives")::int FROM "drive_duration_hourly" GROUP BY 1, 2, 3;

-- Hours that are over, folded.
SELECT fold_duration_histograms(date_trunc('hour', now()) - interval '1 hour');
