import { DynamicModule, Global, Module } from '@nestjs/common';
import { HeavyReads } from './heavy-reads';
import { MigrationStatus } from './migration-status';
import { DATABASE_URL, PrismaService } from './prisma.service';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_URL, useValue: databaseUrl }, PrismaService, MigrationStatus, HeavyReads],
      exports: [PrismaService, MigrationStatus, DATABASE_URL, HeavyReads],
    };
  }
}
