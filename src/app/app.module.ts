import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Writable } from 'node:stream';
import { ApiKeyGuard } from '../common/api-key.guard';
import { HttpExceptionFilter } from '../common/http-exception.filter';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DashboardModule } from '../dashboard/dashboard.module';
import { DatabaseModule } from '../database/database.module';
import { DriveStatusModule } from '../drive-status/drive-status.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ZegoClientOptions } from '../zego/zego.client';
import { loggingOptions } from './logging';

export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  zego: ZegoClientOptions;
  /** Where log lines go (tests capture them); stdout when absent. */
  logStream?: Writable;
}

@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(runtime.config),
        LoggerModule.forRoot(loggingOptions(runtime.config, runtime.logStream)),
        DatabaseModule.forRoot(runtime.databaseUrl, runtime.config.DATABASE_READ_URL, runtime.config.DATABASE_POOL_SIZE),
        MetricsModule,
        DriveStatusModule.forRoot(runtime.zego),
        DashboardModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
