import { DynamicModule, Global, Module } from '@nestjs/common';
import { HeavyReads } from './heavy-reads';
import { MigrationStatus } from './migration-status';
import { DATABASE_URL, PrismaService } from './prisma.service';
import { ReadDatabase } from './read-database';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string, readDatabaseUrl?: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: databaseUrl },
        PrismaService,
        {
          provide: ReadDatabase,
          useFactory: (primary: PrismaService) => new ReadDatabase(primary, readDatabaseUrl),
          inject: [PrismaService],
        },
        MigrationStatus,
        HeavyReads,
      ],
      exports: [PrismaService, ReadDatabase, MigrationStatus, DATABASE_URL, HeavyReads],
    };
  }
}
