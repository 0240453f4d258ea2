import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ErrorDto } from '../common/api-docs';
import { RequiresScope } from '../common/scope.decorator';
import {
  AttemptPage,
  CreatedWebhookView,
  CreateWebhookBody,
  DeliveriesQuery,
  TestEventView,
  WebhookList,
  WebhookParams,
  WebhooksQuery,
  WebhookView,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

/** Test events each webhook may be sent per minute (more: 429 with Retry-After). */
export const TEST_EVENTS_PER_MINUTE = 5;

/** Where alert events go, signed, with every delivery attempt on record. */
@ApiTags('webhooks')
@RequiresScope('read')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @RequiresScope('admin')
  @ApiOperation({
    summary: 'Add a webhook endpoint',
    description:
      'The answer holds the signing secret; it is never shown again. The URL must lead to a public address ' +
      '(unless WEBHOOK_ALLOW_PRIVATE=true; link-local never); user:password@ in it is sent as HTTP Basic ' +
      'authentication and masked wherever the URL is shown. `format` chooses the body (signed, slack, teams, ' +
      'pagerduty with its routingKey, alertmanager); see docs/alerts-and-webhooks.md. 409 past WEBHOOKS_MAX endpoints.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  @ApiConflictResponse({ type: ErrorDto, description: 'WEBHOOKS_MAX webhooks exist already' })
  @ApiErrors()
  createWebhook(@Body() body: CreateWebhookBody): Promise<CreatedWebhookView> {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints (without their secrets), oldest first' })
  @ApiOkResponse({ type: WebhookList })
  @ApiErrors()
  listWebhooks(@Query() { limit, cursor }: WebhooksQuery): Promise<WebhookList> {
    return this.webhooks.list(limit, cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint' })
  @ApiOkResponse({ type: WebhookView })
  @ApiErrors({ notFound: 'No such webhook' })
  getWebhook(@Param() { id }: WebhookParams): Promise<WebhookView> {
    return this.webhooks.get(id);
  }

  @Delete(':id')
  @RequiresScope('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a webhook endpoint; its pending deliveries are dropped' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors({ notFound: 'No such webhook' })
  async deleteWebhook(@Param() { id }: WebhookParams): Promise<void> {
    await this.webhooks.delete(id);
  }

  @Post(':id/test')
  @RequiresScope('admin')
  @HttpCode(202)
  // Per webhook, whoever asks (the id is known only to key holders).
  @RouteConfig({
    rateLimit: {
      max: TEST_EVENTS_PER_MINUTE,
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => `webhook-test:${(req.params as { id?: string }).id ?? ''}`,
    },
  })
  @ApiOperation({
    summary: 'Send a webhook.test event to this endpoint (queued like any event)',
    description: `At most ${TEST_EVENTS_PER_MINUTE} a minute per webhook; more get 429 with Retry-After.`,
  })
  @ApiAcceptedResponse({ type: TestEventView })
  @ApiErrors({ notFound: 'No such webhook' })
  testWebhook(@Param() { id }: WebhookParams): Promise<TestEventView> {
    return this.webhooks.sendTest(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery attempts to this endpoint, newest first' })
  @ApiOkResponse({ type: AttemptPage })
  @ApiErrors({ notFound: 'No such webhook' })
  listWebhookDeliveries(
    @Param() { id }: WebhookParams,
    @Query() { limit, cursor }: DeliveriesQuery,
  ): Promise<AttemptPage> {
    return this.webhooks.attempts(id, limit, cursor);
  }
}
