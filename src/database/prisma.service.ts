import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export const DATABASE_URL = Symbol('DATABASE_URL');

/** The one Prisma client of the process, on the `pg` driver adapter (no native engine). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(DATABASE_URL) databaseUrl: string) {
    super({
      adapter: new PrismaPg({
        connectionString: databaseUrl,
        max: 20,
        // Fail fast instead of queueing forever when the database is down.
        connectionTimeoutMillis: 5000,
        idleTimeoutMillis: 30_000,
        options: '-c TimeZone=UTC -c statement_timeout=15000',
      }),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
