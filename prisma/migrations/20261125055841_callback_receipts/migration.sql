-- CreateTable
CREATE TABLE "callback_receipt" (
    "timestamp" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "body_sha256" BYTEA NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "callback_receipt_pkey" PRIMARY KEY ("timestamp","nonce")
);

-- CreateIndex
CREATE INDEX "callback_receipt_sent_at_idx" ON "callback_receipt"("sent_at");
