-- AlterTable
ALTER TABLE "drive" ADD COLUMN     "unresolved_at" TIMESTAMPTZ(3);

-- Hand-written (the Prisma schema cannot describe partial indexes): small indexes over the few
-- rows they concern. Live drives not yet unresolved, for the sweep that marks them, and unresolved drives,
-- for the counts and reports.
CREATE INDEX "drive_live_idx" ON "drive" ("task_id") WHERE "status" IN (1, 2) AND "unresolved_at" IS NULL;
CREATE INDEX "drive_unresolved_task_idx" ON "drive" ("task_id", "unresolved_at") WHERE "unresolved_at" IS NOT NULL;
CREATE INDEX "drive_unresolved_time_idx" ON "drive" ("unresolved_at") WHERE "unresolved_at" IS NOT NULL;
