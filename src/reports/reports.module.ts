import { Module } from '@nestjs/common';
import { DrivesModule } from '../drives/drives.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Failure reports and task history, from the aggregates (JSON or CSV). */
@Module({ imports: [DrivesModule], controllers: [ReportsController], providers: [ReportsService, ReportsRepository] })
export class ReportsModule {}
