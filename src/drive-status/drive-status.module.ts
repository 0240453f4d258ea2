import { DynamicModule, Module } from '@nestjs/common';
import { DrivesRepository } from '../drives/drives.repository';
import { DrivesService } from '../drives/drives.service';
import { TasksController } from '../drives/tasks.controller';
import { HealthController } from '../health/health.controller';
import { SyncScheduler } from '../sync/sync.scheduler';
import { SyncService } from '../sync/sync.service';
import { ZegoClientOptions } from '../zego/zego.client';
import { ZegoModule } from '../zego/zego.module';

/**
 * The service itself: the upstream client, the sync that turns its answers into rows, and the
 * REST API over those rows.
 */
@Module({})
export class DriveStatusModule {
  static forRoot(zego: ZegoClientOptions): DynamicModule {
    return {
      module: DriveStatusModule,
      imports: [ZegoModule.forRoot(zego)],
      controllers: [TasksController, HealthController],
      providers: [DrivesRepository, DrivesService, SyncService, SyncScheduler],
      exports: [DrivesService, SyncScheduler, DrivesRepository],
    };
  }
}
