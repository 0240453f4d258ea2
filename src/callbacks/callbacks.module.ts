import { Module } from '@nestjs/common';
import { CoordinationModule } from '../coordination/coordination.module';
import { DrivesModule } from '../drives/drives.module';
import { CallbacksController } from './callbacks.controller';
import { CallbacksService } from './callbacks.service';
import { ReceiptsCleanupService } from './receipts-cleanup.service';

/** ZEGO's signed push callbacks, recorded by the same rules as polls. */
@Module({
  imports: [DrivesModule, CoordinationModule],
  controllers: [CallbacksController],
  providers: [CallbacksService, ReceiptsCleanupService],
})
export class CallbacksModule {}
