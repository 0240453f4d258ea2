-- AlterTable
ALTER TABLE "webhook_endpoint" ADD COLUMN     "format" TEXT NOT NULL DEFAULT 'signed',
ADD COLUMN     "routing_key" TEXT;

-- AlterTable
ALTER TABLE "alert_rule" ADD COLUMN     "repeat_interval_minutes" INTEGER,
ADD COLUMN     "severity" TEXT NOT NULL DEFAULT 'warning';

-- AlterTable
ALTER TABLE "alert" ADD COLUMN     "reminded_at" TIMESTAMPTZ(3),
ADD COLUMN     "reminders" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resent_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "webhook_event" ADD COLUMN     "alert_id" UUID;

-- CreateIndex
CREATE INDEX "webhook_event_alert_idx" ON "webhook_event"("alert_id");

-- Existing rules take their kind's default severity (the same table as defaultSeverity()).
UPDATE "alert_rule" SET "severity" = 'critical' WHERE "kind" IN ('upstream', 'slo_burn');

-- Events queued before this migration name their alert only in the body: record it, so the
-- reminders and Alertmanager re-sends of alerts still firing find their last notice.
UPDATE "webhook_event"
   SET "alert_id" = ("body"::jsonb -> 'alert' ->> 'id')::uuid
 WHERE "type" LIKE 'alert.%' AND jsonb_typeof("body"::jsonb -> 'alert') = 'object';
