-- AlterTable
ALTER TABLE "drive" ADD COLUMN     "drive_type" TEXT,
ADD COLUMN     "request_id" TEXT,
ADD COLUMN     "submitted_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "drive_outcome_hourly_type" (
    "drive_type" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drive_outcome_hourly_type_pkey" PRIMARY KEY ("drive_type","hour")
);
