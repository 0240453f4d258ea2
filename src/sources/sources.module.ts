import { Module } from '@nestjs/common';
import { DrivesModule } from '../drives/drives.module';
import { SourcesController } from './sources.controller';
import { SourcesRepository } from './sources.repository';
import { SourcesService } from './sources.service';

/** Where drive ends come from: how much the record depends on each route. */
@Module({ imports: [DrivesModule], controllers: [SourcesController], providers: [SourcesService, SourcesRepository] })
export class SourcesModule {}
