import { Module } from '@nestjs/common';
import { CoordinationModule } from '../coordination/coordination.module';
import { DrivesModule } from '../drives/drives.module';
import { SlosModule } from '../slos/slos.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AlertEvaluatorService } from './alert-evaluator.service';
import { AlertRemindersRepository } from './alert-reminders.repository';
import { AlertRemindersService } from './alert-reminders.service';
import { AlertRetentionService } from './alert-retention.service';
import { AlertRulesController, AlertsController, SilencesController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/** Alert rules, their evaluation on the lease holder, alert instances and silences. */
@Module({
  imports: [CoordinationModule, DrivesModule, SlosModule, WebhooksModule],
  controllers: [AlertRulesController, AlertsController, SilencesController],
  providers: [
    AlertsRepository,
    AlertsService,
    AlertEvaluatorService,
    AlertRetentionService,
    AlertRemindersRepository,
    AlertRemindersService,
  ],
  exports: [AlertsRepository],
})
export class AlertsModule {}
