import { DynamicModule, Global, Module } from '@nestjs/common';
import { HeavyReads } from './heavy-reads';
import { MigrationStatus } from './migration-status';
import { DATABASE_POOL_SIZE, DATABASE_URL, PrismaService } from './prisma.service';
import { ReadDatabase } from './read-database';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string, readDatabaseUrl?: string, poolSize?: number): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: databaseUrl },
        { provide: DATABASE_POOL_SIZE, useValue: poolSize },
        PrismaService,
        {
          provide: ReadDatabase,
          useFactory: (primary: PrismaService) => new ReadDatabase(primary, readDatabaseUrl, poolSize),
          inject: [PrismaService],
        },
        MigrationStatus,
        HeavyReads,
      ],
      exports: [PrismaService, ReadDatabase, MigrationStatus, DATABASE_URL, HeavyReads],
    };
  }
}
