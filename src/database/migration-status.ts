import { Injectable } from '@nestjs/common';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PrismaService } from './prisma.service';

/** Compares the migrations shipped with this build with those recorded in the database. */
@Injectable()
export class MigrationStatus {
  private readonly shipped: string[];

  constructor(private readonly prisma: PrismaService) {
    const dir = resolve(__dirname, '..', '..', 'prisma', 'migrations');
    this.shipped = existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
      : [];
  }

  /** Names of shipped migrations the database has not (successfully) applied. */
  async pending(): Promise<string[]> {
    const { rows } = await this.prisma.pool.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.name));
    return this.shipped.filter((name) => !applied.has(name));
  }
}
