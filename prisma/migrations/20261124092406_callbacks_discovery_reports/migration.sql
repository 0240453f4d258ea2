-- DropIndex
DROP INDEX "drive_history_task_idx";

-- AlterTable
ALTER TABLE "task" ADD COLUMN     "fail_reason" TEXT,
ADD COLUMN     "final_poll_after" TIMESTAMPTZ(3),
ADD COLUMN     "room_id" TEXT,
ADD COLUMN     "stream_id" TEXT,
ADD COLUMN     "task_status" SMALLINT,
ADD COLUMN     "task_status_at" TIMESTAMPTZ(3),
ADD COLUMN     "upstream_created_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "drive_outcome_hourly_shard" (
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "shard" SMALLINT NOT NULL,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_outcome_hourly_shard_pkey" PRIMARY KEY ("hour","shard")
);

-- CreateIndex
CREATE INDEX "drive_task_order_idx" ON "drive"("task_id", "id");

-- CreateIndex
CREATE INDEX "drive_history_task_time_idx" ON "drive_history"("task_id", "observed_at", "id");

-- Backfill the cross-task aggregate from the per-task one (same shard rule as the service:
-- hashtext(task_id) & 15).
INSERT INTO "drive_outcome_hourly_shard" ("hour", "shard", "failed", "finished")
SELECT "hour", (hashtext("task_id") & 15)::smallint, sum("failed")::int, sum("finished")::int
  FROM "drive_outcome_hourly" GROUP BY 1, 2;
