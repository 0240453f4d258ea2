-- AlterTable
ALTER TABLE "alert_rule" ADD COLUMN     "slo_id" UUID;

-- CreateTable
CREATE TABLE "slo" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "objective" DOUBLE PRECISION NOT NULL,
    "window_days" INTEGER NOT NULL,
    "task_id" TEXT,
    "drive_type" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slo_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "slo_created_idx" ON "slo"("created_at", "id");

-- CreateIndex
CREATE INDEX "alert_rule_slo_idx" ON "alert_rule"("slo_id");

-- AddForeignKey
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slo"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
