import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength } from 'class-validator';
import { TIME_EXAMPLE } from '../common/api-docs';
import { CursorParam, LimitParam } from '../common/paging';
import { WEBHOOK_FORMATS, WebhookFormat } from './formats/notification';

const URL_RULE = 'url must be an http:// or https:// URL of at most 2000 characters';

export class CreateWebhookBody {
  @ApiProperty({
    example: 'https://alerts.example.com/drive-status',
    description:
      'http(s) only, to a public address (private ones with WEBHOOK_ALLOW_PRIVATE=true; link-local never). user:password@ is sent as HTTP Basic authentication',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: URL_RULE })
  @MaxLength(2000, { message: URL_RULE })
  url: string;

  @ApiPropertyOptional({ example: 'on-call channel', maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'description must be text' })
  @MaxLength(500, { message: 'description must be at most 500 characters' })
  description?: string;

  @ApiPropertyOptional({
    enum: WEBHOOK_FORMATS,
    description:
      "The body sent (default `signed`): `signed` (this service's JSON, signed), `slack` (incoming webhook), `teams` (Workflows webhook, Adaptive Card), `pagerduty` (Events API v2; needs routingKey), `alertmanager` (the url is the Alertmanager base; alerts go to <url>/api/v2/alerts and firing ones are re-sent every 30 s)",
  })
  @IsOptional()
  @IsIn(WEBHOOK_FORMATS, { message: `format must be one of ${WEBHOOK_FORMATS.join(', ')}` })
  format?: WebhookFormat;

  @ApiPropertyOptional({
    description:
      'pagerduty only, and required there: the integration key of an Events API v2 integration (a secret: shown back masked)',
    example: 'R0123456789ABCDEF0123456789ABCDE',
    maxLength: 100,
  })
  @IsOptional()
  @IsString({ message: 'routingKey must be text' })
  @Matches(/^[A-Za-z0-9_-]{8,100}$/, { message: 'routingKey must be 8-100 letters, digits, - or _' })
  routingKey?: string;
}

export class WebhookParams {
  @ApiProperty({ format: 'uuid', example: '0b8e3c8a-4f0e-4a51-9d7e-2f1c2b7d9a10' })
  @IsUUID('all', { message: 'id must be a webhook id (a UUID)' })
  id: string;
}

export class WebhooksQuery {
  @LimitParam(50)
  limit = 50;

  @CursorParam()
  cursor?: string;
}

export class DeliveriesQuery {
  @LimitParam(50)
  limit = 50;

  @CursorParam()
  cursor?: string;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://alerts.example.com/drive-status' }) url: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: WEBHOOK_FORMATS }) format: WebhookFormat;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '…BCDE',
    description: 'pagerduty: the routing key masked to its last 4 characters; null for other formats',
  })
  routingKey: string | null;
  @ApiProperty({ format: 'date-time', example: TIME_EXAMPLE }) createdAt: string;
  @ApiProperty({
    enum: ['healthy', 'failing'],
    description: 'failing: its last attempts all failed (cleared by the next delivered event)',
  })
  state: 'healthy' | 'failing';
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failingSince: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastDeliveredAt: string | null;
  @ApiProperty({ description: 'Events waiting to be delivered (first attempt or retry)' }) pending: number;
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({
    example: 'whsec_6f1d…',
    description: 'Signs every delivery. Shown only in this answer: keep it now.',
  })
  secret: string;
}

export class WebhookList {
  @ApiProperty({ type: [WebhookView] }) items: WebhookView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class TestEventView {
  @ApiProperty({ format: 'uuid', description: 'The id of the test event, sent as X-Drive-Status-Event-Id' })
  eventId: string;
}

export class AttemptView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({
    enum: ['alert.firing', 'alert.resolved', 'alert.resend', 'webhook.test'],
    description: 'alert.resend: a firing alert sent again to an Alertmanager endpoint',
  })
  type: string;
  @ApiProperty({ example: 1, description: '1 for the first attempt of this event' }) attempt: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) statusCode: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      'Why the attempt failed, when not an HTTP status: `no answer` (timed out, refused, unreachable: not told apart), `TLS failed`, or `address not allowed` (the egress policy)',
  })
  error: string | null;
  @ApiProperty({ example: 42 }) durationMs: number;
  @ApiProperty({ enum: ['delivered', 'retrying', 'gave_up'] }) outcome: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the next attempt is due' })
  nextRetryAt: string | null;
}

export class AttemptPage {
  @ApiProperty({ type: [AttemptView] }) items: AttemptView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
