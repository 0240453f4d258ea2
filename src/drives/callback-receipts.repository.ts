import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/**
 * What binds a callback's signature to one body. ZEGO's signature covers only the sorted
 * concatenation of secret, Timestamp and Nonce, without a separator, so every re-split of that
 * concatenation (`1795512000` + `512345`, `1795512000512` + `345`) carries the same signature: the
 * Signature is the callback's identity, and the body digest says whether a second sight of it is
 * a retry (same body) or a replay with another body.
 */
export interface CallbackReceipt {
  /** The Signature, lowercase hex. */
  signature: string;
  /** The Timestamp and Nonce it came with (kept for whoever investigates a refusal). */
  timestamp: string;
  nonce: string;
  /** The Timestamp as a time: the receipt is kept until a callback sent then would be refused as stale. */
  sentAt: Date;
  bodySha256: Buffer;
}

/**
 * `new`: first time this signature is seen (the receipt is now part of the transaction);
 * `duplicate`: the same signature with the same body was already seen (a retry: no second effect);
 * `reused`: the same signature with another body (refused).
 */
export type ReceiptCheck = 'new' | 'duplicate' | 'reused';

/**
 * How long a receipt is kept after its Timestamp: the 10 minutes a Timestamp is accepted, plus a
 * margin for clock drift. Every re-split that is still fresh reads as the same second (a Timestamp
 * in seconds and its milliseconds form), so the margin covers them too.
 */
export const RECEIPT_KEEP_MS = 12 * 60_000;

type Client = Prisma.TransactionClient | PrismaService;

@Injectable()
export class CallbackReceiptsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Claims the receipt inside a Prisma transaction, so that it commits with the write it guards (or
   * alone, see claimAlone). A receipt held by the same body while the upstream was asked (hold) is
   * claimed now.
   */
  async claim(tx: Prisma.TransactionClient, receipt: CallbackReceipt): Promise<ReceiptCheck> {
    const claimed = await tx.$queryRaw<unknown[]>`
      INSERT INTO callback_receipt (signature, timestamp, nonce, sent_at, body_sha256)
      VALUES (${receipt.signature}::text, ${receipt.timestamp}::text, ${receipt.nonce}::text,
              ${receipt.sentAt}::timestamptz, ${receipt.bodySha256}::bytea)
      ON CONFLICT (signature) DO UPDATE SET pending = false
       WHERE callback_receipt.pending AND callback_receipt.body_sha256 = EXCLUDED.body_sha256
      RETURNING 1`;
    if (claimed.length) return 'new';
    const taken = await this.compare(tx, receipt);
    // Gone again only if the clean-up removed it in between, i.e. it is long stale: refuse.
    return taken === 'new' ? 'reused' : taken;
  }

  /**
   * Claims the receipt in a transaction of its own: a verified callback that writes nothing else
   * (an event type not used, an unconfirmed event, a 4xx after the signature was verified).
   */
  async claimAlone(receipt: CallbackReceipt): Promise<ReceiptCheck> {
    return this.prisma.$transaction((tx) => this.claim(tx, receipt));
  }

  /**
   * Binds the signature to this body before a slow step that may fail (asking the upstream), so
   * that while ZEGO retries, the signature cannot be reused with another body. `new` when the
   * signature is free or held by this same body (the caller goes on and claims it with its write);
   * `duplicate` when this body was already applied; `reused` when another body holds it.
   */
  async hold(receipt: CallbackReceipt): Promise<ReceiptCheck> {
    const held = await this.prisma.$queryRaw<unknown[]>`
      INSERT INTO callback_receipt (signature, timestamp, nonce, sent_at, body_sha256, pending)
      VALUES (${receipt.signature}::text, ${receipt.timestamp}::text, ${receipt.nonce}::text,
              ${receipt.sentAt}::timestamptz, ${receipt.bodySha256}::bytea, true)
      ON CONFLICT (signature) DO NOTHING
      RETURNING 1`;
    if (held.length) return 'new';
    const existing = await this.prisma.callbackReceipt.findUnique({
      where: { signature: receipt.signature },
      select: { bodySha256: true, pending: true },
    });
    if (!existing) return 'reused';
    if (!Buffer.from(existing.bodySha256).equals(receipt.bodySha256)) return 'reused';
    return existing.pending ? 'new' : 'duplicate';
  }

  /** After a write found the signature taken (and was rolled back): same body (a retry) or another one? */
  async classifyTaken(receipt: CallbackReceipt): Promise<'duplicate' | 'reused'> {
    const taken = await this.compare(this.prisma, receipt);
    // Gone only if the clean-up removed it in between, i.e. it is long stale: refuse.
    return taken === 'new' ? 'reused' : taken;
  }

  /** Deletes receipts whose Timestamp is too old to be accepted again. Any replica may run it. */
  async deleteExpired(now = new Date()): Promise<number> {
    // A background duty: on the pool, so an idle process does not load Prisma's query compiler.
    const { rowCount } = await this.prisma.pool.query('DELETE FROM callback_receipt WHERE sent_at < $1', [
      new Date(now.getTime() - RECEIPT_KEEP_MS),
    ]);
    return rowCount ?? 0;
  }

  private async compare(client: Client, receipt: CallbackReceipt): Promise<ReceiptCheck> {
    const existing = await client.callbackReceipt.findUnique({
      where: { signature: receipt.signature },
      select: { bodySha256: true },
    });
    if (!existing) return 'new';
    return Buffer.from(existing.bodySha256).equals(receipt.bodySha256) ? 'duplicate' : 'reused';
  }
}
