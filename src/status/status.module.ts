import { Module } from '@nestjs/common';
import { CoordinationModule } from '../coordination/coordination.module';
import { DrivesModule } from '../drives/drives.module';
import { SyncModule } from '../sync/sync.module';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

/** The sync's state: /status and the database-derived gauges of /metrics. */
@Module({
  imports: [DrivesModule, SyncModule, CoordinationModule],
  controllers: [StatusController],
  providers: [StatusService],
  exports: [StatusService],
})
export class StatusModule {}
