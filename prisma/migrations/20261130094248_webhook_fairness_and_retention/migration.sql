-- CreateIndex
CREATE INDEX "webhook_event_created_idx" ON "webhook_event"("created_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpoint_due_idx" ON "webhook_delivery"("webhook_id", "state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_attempt_delivery_idx" ON "webhook_attempt"("delivery_id");
