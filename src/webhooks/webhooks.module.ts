import { Module } from '@nestjs/common';
import { CoordinationModule } from '../coordination/coordination.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Signed outbound webhooks: endpoints, the transactional outbox and its sender. */
@Module({
  imports: [CoordinationModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService, WebhookDeliveryService],
  exports: [WebhooksRepository, WebhookDeliveryService],
})
export class WebhooksModule {}
