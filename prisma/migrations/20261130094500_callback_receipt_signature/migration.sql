-- Callback receipts are keyed on the Signature rather than on (Timestamp, Nonce): pairs that
-- concatenate alike ("1795512000" + "512345", "1795512000512" + "345") share one signature.
-- A signature cannot be computed here (the callback secret is not in the database), so the
-- receipts taken before this migration are dropped. They live about twelve minutes: for that long
-- after the upgrade, a callback captured just before it could have its signature reused once.
DELETE FROM "callback_receipt";

-- AlterTable
ALTER TABLE "callback_receipt" DROP CONSTRAINT "callback_receipt_pkey",
ADD COLUMN     "pending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "signature" TEXT NOT NULL,
ADD CONSTRAINT "callback_receipt_pkey" PRIMARY KEY ("signature");
