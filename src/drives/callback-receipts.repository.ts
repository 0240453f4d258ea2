import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/**
 * What binds a callback's signature to one body: the signed (Timestamp, Nonce) pair and a digest of
 * the body. ZEGO's signature covers only the secret, Timestamp and Nonce, so without this anyone who
 * saw one genuine callback could send any body under its signature while the Timestamp is fresh.
 */
export interface CallbackReceipt {
  timestamp: string;
  nonce: string;
  /** The Timestamp as a time: the receipt is kept until a callback sent then would be refused as stale. */
  sentAt: Date;
  bodySha256: Buffer;
}

/**
 * `new`: first time this pair is seen (the receipt is now part of the transaction);
 * `duplicate`: the same pair with the same body was already applied (a retry: no second effect);
 * `reused`: the same pair with another body (refused).
 */
export type ReceiptCheck = 'new' | 'duplicate' | 'reused';

/** How long a receipt is kept after its Timestamp: the 10 minutes a Timestamp is accepted, plus a margin for clock drift. */
export const RECEIPT_KEEP_MS = 12 * 60_000;

@Injectable()
export class CallbackReceiptsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Claims the receipt inside a Prisma transaction (the stream task events' path). */
  async claim(tx: Prisma.TransactionClient, receipt: CallbackReceipt): Promise<ReceiptCheck> {
    const { count } = await tx.callbackReceipt.createMany({
      data: [
        {
          timestamp: receipt.timestamp,
          nonce: receipt.nonce,
          sentAt: receipt.sentAt,
          bodySha256: new Uint8Array(receipt.bodySha256),
        },
      ],
      skipDuplicates: true,
    });
    if (count) return 'new';
    const taken = await this.compare(tx, receipt);
    // Gone again only if the clean-up removed it in between, i.e. it is long stale: refuse.
    return taken === 'new' ? 'reused' : taken;
  }

  /** Claims the receipt in a transaction of its own (an event that is acknowledged but not applied). */
  async claimAlone(receipt: CallbackReceipt): Promise<ReceiptCheck> {
    return this.prisma.$transaction((tx) => this.claim(tx, receipt));
  }

  /** After a write found the pair taken (and was rolled back): same body (a retry) or another one? */
  async classifyTaken(receipt: CallbackReceipt): Promise<'duplicate' | 'reused'> {
    const taken = await this.compare(this.prisma, receipt);
    // Gone only if the clean-up removed it in between, i.e. it is long stale: refuse.
    return taken === 'new' ? 'reused' : taken;
  }

  /** Without claiming: has this pair been applied already, and with which body? (`new` when not.) */
  async peek(receipt: CallbackReceipt): Promise<ReceiptCheck> {
    return this.compare(this.prisma, receipt);
  }

  /** Deletes receipts whose Timestamp is too old to be accepted again. Any replica may run it. */
  async deleteExpired(now = new Date()): Promise<number> {
    const { count } = await this.prisma.callbackReceipt.deleteMany({
      where: { sentAt: { lt: new Date(now.getTime() - RECEIPT_KEEP_MS) } },
    });
    return count;
  }

  private async compare(
    client: Prisma.TransactionClient | PrismaService,
    receipt: CallbackReceipt,
  ): Promise<ReceiptCheck> {
    const existing = await client.callbackReceipt.findUnique({
      where: { timestamp_nonce: { timestamp: receipt.timestamp, nonce: receipt.nonce } },
      select: { bodySha256: true },
    });
    if (!existing) return 'new';
    return Buffer.from(existing.bodySha256).equals(receipt.bodySha256) ? 'duplicate' : 'reused';
  }
}
