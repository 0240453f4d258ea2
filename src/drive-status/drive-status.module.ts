import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CallbacksController } from '../callbacks/callbacks.controller';
import { CallbacksService } from '../callbacks/callbacks.service';
import { MigrationStatus } from '../database/migration-status';
import { SyncLease } from '../coordination/sync-lease.service';
import { DiscoveryService } from '../discovery/discovery.service';
import { DrivesRepository } from '../drives/drives.repository';
import { DrivesService } from '../drives/drives.service';
import { TasksController } from '../drives/tasks.controller';
import { HealthController } from '../health/health.controller';
import { StatusController } from '../metrics/status.controller';
import { ReportsController } from '../reports/reports.controller';
import { ReportsService } from '../reports/reports.service';
import { SyncScheduler } from '../sync/sync.scheduler';
import { SyncService } from '../sync/sync.service';
import { ZegoClientOptions } from '../zego/zego.client';
import { ZegoModule } from '../zego/zego.module';

/**
 * The service itself: the upstream client; the sync, discovery and callbacks that turn what ZEGO
 * says into rows; and the REST API and reports over those rows.
 */
@Module({})
export class DriveStatusModule {
  static forRoot(zego: ZegoClientOptions): DynamicModule {
    return {
      module: DriveStatusModule,
      imports: [ZegoModule.forRoot(zego), TerminusModule],
      controllers: [TasksController, ReportsController, CallbacksController, HealthController, StatusController],
      providers: [
        SyncLease,
        DrivesRepository,
        DrivesService,
        SyncService,
        SyncScheduler,
        DiscoveryService,
        CallbacksService,
        ReportsService,
        MigrationStatus,
      ],
      exports: [DrivesService, SyncScheduler, DiscoveryService, DrivesRepository, SyncLease],
    };
  }
}
