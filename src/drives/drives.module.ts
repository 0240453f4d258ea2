import { Module } from '@nestjs/common';
import { CallbackReceiptsRepository } from './callback-receipts.repository';
import { DriveReadsRepository } from './drive-reads.repository';
import { DrivesService } from './drives.service';
import { ObservationsRepository } from './observations.repository';
import { OutcomesRepository } from './outcomes.repository';
import { PageCache } from './page-cache';
import { PageVersions } from './page-versions';
import { TasksController } from './tasks.controller';
import { TasksRepository } from './tasks.repository';

/** The record itself: tasks, drives, their history and hourly outcomes, and the API over them. */
@Module({
  controllers: [TasksController],
  providers: [
    CallbackReceiptsRepository,
    TasksRepository,
    DriveReadsRepository,
    ObservationsRepository,
    OutcomesRepository,
    PageVersions,
    PageCache,
    DrivesService,
  ],
  exports: [CallbackReceiptsRepository, TasksRepository, ObservationsRepository, OutcomesRepository, DrivesService],
})
export class DrivesModule {}
