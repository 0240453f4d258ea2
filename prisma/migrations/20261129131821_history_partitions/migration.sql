-- drive_history becomes a table partitioned by UTC month of observed_at. Its key becomes
-- (id, observed_at), since a partitioned table's key must hold the partition key. The existing
-- rows are moved into one partition per month they cover.

ALTER TABLE "drive_history" RENAME TO "drive_history_unpartitioned";
ALTER TABLE "drive_history_unpartitioned" RENAME CONSTRAINT "drive_history_pkey" TO "drive_history_unpartitioned_pkey";
ALTER TABLE "drive_history_unpartitioned" RENAME CONSTRAINT "drive_history_drive_row_id_fkey" TO "drive_history_unpartitioned_drive_row_id_fkey";
ALTER INDEX "drive_history_drive_idx" RENAME TO "drive_history_unpartitioned_drive_idx";
ALTER INDEX "drive_history_task_time_idx" RENAME TO "drive_history_unpartitioned_task_time_idx";

CREATE TABLE "drive_history" (
    "id" BIGINT NOT NULL DEFAULT nextval('drive_history_id_seq'),
    "drive_row_id" BIGINT NOT NULL,
    "task_id" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "previous_status" SMALLINT,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,

    CONSTRAINT "drive_history_pkey" PRIMARY KEY ("id", "observed_at")
) PARTITION BY RANGE ("observed_at");

-- The id sequence now belongs to the new table (it would go with the old one otherwise).
ALTER SEQUENCE "drive_history_id_seq" OWNED BY "drive_history"."id";

CREATE INDEX "drive_history_drive_idx" ON "drive_history"("drive_row_id", "id");
CREATE INDEX "drive_history_task_time_idx" ON "drive_history"("task_id", "observed_at", "id");
ALTER TABLE "drive_history" ADD CONSTRAINT "drive_history_drive_row_id_fkey" FOREIGN KEY ("drive_row_id") REFERENCES "drive"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rows outside every month made so far land here rather than failing; the maintenance job makes
-- months ahead of time, so it stays empty (a month cannot be made while it holds rows of it).
CREATE TABLE "drive_history_default" PARTITION OF "drive_history" DEFAULT;

-- Makes the month partition that holds `at`, unless it exists. True when it made one.
CREATE FUNCTION ensure_history_partition(at timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  first timestamptz := date_trunc('month', at, 'UTC');
  name text := 'drive_history_' || to_char(first AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  IF to_regclass(format('%I', name)) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF drive_history FOR VALUES FROM (%L) TO (%L)',
                 name, first, (first AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC');
  RETURN true;
END
$$;

-- Drops the month partitions that end at or before `cutoff`; returns their names.
CREATE FUNCTION drop_history_partitions_before(cutoff timestamptz) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
  part record;
  dropped text[] := ARRAY[]::text[];
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'drive_history'::regclass AND c.relname ~ '^drive_history_[0-9]{4}_[0-9]{2}$'
     ORDER BY c.relname
  LOOP
    -- The month after the one in the name, at 00:00 UTC: where the partition ends.
    IF ((to_date(substr(part.relname, 15), 'YYYY_MM') + interval '1 month')::timestamp AT TIME ZONE 'UTC') <= cutoff THEN
      EXECUTE format('DROP TABLE %I', part.relname);
      dropped := dropped || part.relname::text;
    END IF;
  END LOOP;
  RETURN dropped;
END
$$;

SELECT ensure_history_partition(m) FROM (SELECT DISTINCT observed_at AS m FROM (
  SELECT date_trunc('month', observed_at, 'UTC') AS observed_at FROM "drive_history_unpartitioned") d) x;
SELECT ensure_history_partition(now()), ensure_history_partition(now() + interval '1 month');

INSERT INTO "drive_history" ("id", "drive_row_id", "task_id", "status", "previous_status", "observed_at", "recorded_at", "source")
SELECT "id", "drive_row_id", "task_id", "status", "previous_status", "observed_at", "recorded_at", "source"
  FROM "drive_history_unpartitioned";

DROP TABLE "drive_history_unpartitioned";
