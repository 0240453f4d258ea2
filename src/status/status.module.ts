import { Module } from '@nestjs/common';
import { DrivesModule } from '../drives/drives.module';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

/** The sync's state: /status and the database-derived gauges of /metrics. */
@Module({
  imports: [DrivesModule],
  controllers: [StatusController],
  providers: [StatusService],
  exports: [StatusService],
})
export class StatusModule {}
