-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "task" (
    "task_id" TEXT NOT NULL,
    "tracking" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_synced_at" TIMESTAMPTZ(3),
    "last_sync_error" TEXT,
    "failure_streak" INTEGER NOT NULL DEFAULT 0,
    "next_poll_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "queued" INTEGER NOT NULL DEFAULT 0,
    "playing" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "task_pkey" PRIMARY KEY ("task_id")
);

-- CreateTable
CREATE TABLE "drive" (
    "id" BIGSERIAL NOT NULL,
    "task_id" TEXT NOT NULL,
    "drive_id" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "status_changed_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "missing_since" TIMESTAMPTZ(3),

    CONSTRAINT "drive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drive_history" (
    "id" BIGSERIAL NOT NULL,
    "drive_row_id" BIGINT NOT NULL,
    "task_id" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "previous_status" SMALLINT,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,

    CONSTRAINT "drive_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drive_outcome_hourly" (
    "task_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_outcome_hourly_pkey" PRIMARY KEY ("task_id","hour")
);

-- CreateIndex
CREATE INDEX "task_due_idx" ON "task"("next_poll_at");

-- CreateIndex
CREATE INDEX "drive_task_status_idx" ON "drive"("task_id", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "drive_task_drive_key" ON "drive"("task_id", "drive_id");

-- CreateIndex
CREATE INDEX "drive_history_drive_idx" ON "drive_history"("drive_row_id", "id");

-- CreateIndex
CREATE INDEX "drive_history_task_idx" ON "drive_history"("task_id", "id");

-- CreateIndex
CREATE INDEX "drive_outcome_hourly_hour_idx" ON "drive_outcome_hourly"("hour");

-- AddForeignKey
ALTER TABLE "drive" ADD CONSTRAINT "drive_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"("task_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drive_history" ADD CONSTRAINT "drive_history_drive_row_id_fkey" FOREIGN KEY ("drive_row_id") REFERENCES "drive"("id") ON DELETE CASCADE ON UPDATE CASCADE;
