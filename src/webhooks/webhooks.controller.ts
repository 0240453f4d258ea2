import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { API_KEY_HEADER, ApiErrors, BEARER } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import {
  AttemptPage,
  CreatedWebhookView,
  CreateWebhookBody,
  DeliveriesQuery,
  TestEventView,
  WebhookList,
  WebhookParams,
  WebhookView,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

/** Where alert events go, signed, with every delivery attempt on record. */
@ApiTags('webhooks')
@ApiBearerAuth(BEARER)
@ApiSecurity(API_KEY_HEADER)
@RequiresScope('read')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @RequiresScope('admin')
  @ApiOperation({
    summary: 'Add a webhook endpoint',
    description: 'The answer holds the signing secret; it is never shown again.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  @ApiErrors()
  create(@Body() body: CreateWebhookBody) {
    return this.webhooks.create(body.url, body.description);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints (without their secrets)' })
  @ApiOkResponse({ type: WebhookList })
  @ApiErrors()
  list() {
    return this.webhooks.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint' })
  @ApiOkResponse({ type: WebhookView })
  @ApiErrors({ notFound: 'No such webhook' })
  get(@Param() { id }: WebhookParams) {
    return this.webhooks.get(id);
  }

  @Delete(':id')
  @RequiresScope('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a webhook endpoint; its pending deliveries are dropped' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors({ notFound: 'No such webhook' })
  async remove(@Param() { id }: WebhookParams) {
    await this.webhooks.delete(id);
  }

  @Post(':id/test')
  @RequiresScope('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook.test event to this endpoint (queued like any event)' })
  @ApiAcceptedResponse({ type: TestEventView })
  @ApiErrors({ notFound: 'No such webhook' })
  test(@Param() { id }: WebhookParams) {
    return this.webhooks.sendTest(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery attempts to this endpoint, newest first' })
  @ApiOkResponse({ type: AttemptPage })
  @ApiErrors({ notFound: 'No such webhook' })
  deliveries(@Param() { id }: WebhookParams, @Query() { limit, cursor }: DeliveriesQuery) {
    return this.webhooks.attempts(id, limit, cursor);
  }
}
