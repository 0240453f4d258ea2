import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiKeyGuard } from '../common/api-key.guard';
import { HttpExceptionFilter } from '../common/http-exception.filter';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { DriveStatusModule } from '../drive-status/drive-status.module';
import { ZegoClientOptions } from '../zego/zego.client';

export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  zego: ZegoClientOptions;
}

@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(runtime.config),
        DatabaseModule.forRoot(runtime.databaseUrl),
        ScheduleModule.forRoot(),
        DriveStatusModule.forRoot(runtime.zego),
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
