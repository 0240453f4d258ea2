import { OnApplicationShutdown } from '@nestjs/common';
import { PrismaService } from './prisma.service';

/**
 * Where the REST reads and reports go: a PostgreSQL replica when DATABASE_READ_URL is set (its
 * own pool), else the primary's. Writes, the sync lease and everything that decides what to write
 * stay on the primary (PrismaService). A replica lags the primary a little (streaming replication:
 * usually milliseconds, more under load), so a read may not show yet what was just acknowledged.
 */
export class ReadDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaService;
  readonly replica: boolean;

  constructor(primary: PrismaService, readUrl: string | undefined, poolSize?: number) {
    this.replica = readUrl !== undefined;
    this.prisma = readUrl ? new PrismaService(readUrl, poolSize) : primary;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.replica) await this.prisma.onApplicationShutdown();
  }
}
