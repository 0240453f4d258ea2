import { Injectable, Logger } from '@nestjs/common';
import { BackgroundDuties } from '../coordination/background-duties.service';
import { CallbackReceiptsRepository } from '../drives/callback-receipts.repository';

const EVERY_MS = 60_000;

/**
 * Deletes callback receipts once their Timestamp is too old to be accepted again (the table then
 * holds about twelve minutes of callbacks). On the lease holder, like every fleet duty; it runs even
 * without ZEGO_CALLBACK_SECRET (cheap: an index on sent_at), so receipts kept from before the secret
 * was removed still go.
 */
@Injectable()
export class ReceiptsCleanupService {
  private readonly logger = new Logger(ReceiptsCleanupService.name);

  constructor(
    private readonly receipts: CallbackReceiptsRepository,
    duties: BackgroundDuties,
  ) {
    duties.register({ name: 'receipts-cleanup', everyMs: EVERY_MS, run: () => this.run() });
  }

  /** One pass; returns how many receipts were deleted. */
  async run(now = new Date()): Promise<number> {
    const deleted = await this.receipts.deleteExpired(now);
    if (deleted) this.logger.debug(`deleted ${deleted} expired callback receipts`);
    return deleted;
  }
}
