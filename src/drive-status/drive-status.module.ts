import { MaintenanceModule } from '../maintenance/maintenance.module';
import { DynamicModule, Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { ClientRelayModule } from '../client-relay/client-relay.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { DrivesModule } from '../drives/drives.module';
import { HealthModule } from '../health/health.module';
import { ReportsModule } from '../reports/reports.module';
import { SlosModule } from '../slos/slos.module';
import { SourcesModule } from '../sources/sources.module';
import { StatusModule } from '../status/status.module';
import { SyncModule } from '../sync/sync.module';
import { ZegoClientOptions } from '../zego/zego.client';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ZegoModule } from '../zego/zego.module';

/**
 * The service itself: the upstream client; the sync, discovery and callbacks that turn what ZEGO
 * says into rows; and the REST API, reports, status and health over those rows.
 */
@Module({})
export class DriveStatusModule {
  static forRoot(zego: ZegoClientOptions): DynamicModule {
    return {
      module: DriveStatusModule,
      imports: [
        ZegoModule.forRoot(zego),
        DrivesModule,
        SyncModule,
        DiscoveryModule,
        CallbacksModule,
        ClientRelayModule,
        ReportsModule,
        SourcesModule,
        StatusModule,
        HealthModule,
        WebhooksModule,
        SlosModule,
        AlertsModule,
        MaintenanceModule,
      ],
      exports: [DrivesModule, SyncModule],
    };
  }
}
