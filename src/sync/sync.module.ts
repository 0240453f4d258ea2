import { Module } from '@nestjs/common';
import { CoordinationModule } from '../coordination/coordination.module';
import { DrivesModule } from '../drives/drives.module';
import { DriveSourceService } from './drive-source.service';
import { SyncScheduler } from './sync.scheduler';
import { SyncService } from './sync.service';
import { UnresolvedSweeper } from './unresolved-sweeper.service';

/** Polls due tasks through the upstream client and records what changed. */
@Module({
  imports: [DrivesModule, CoordinationModule],
  providers: [SyncService, SyncScheduler, DriveSourceService, UnresolvedSweeper],
  exports: [SyncScheduler, DriveSourceService],
})
export class SyncModule {}
