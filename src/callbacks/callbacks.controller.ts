import {
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Logger,
  NotFoundException,
  Post,
  BadRequestException,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiBadRequestResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ErrorDto } from '../common/api-docs';
import { RouteBodyLimit } from '../common/json-body';
import { Public } from '../common/public.decorator';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { ZegoClient } from '../zego/zego.client';
import { CallbacksService } from './callbacks.service';
import { verifyCallback } from './zego-callback';

class CallbackBody {
  @ApiProperty({ example: 1234567890 }) AppId: number;
  @ApiProperty({ enum: [3, 4], description: '3: stream task status; 4: drive status' }) EventType: number;
  @ApiProperty({ example: '123412' }) Nonce: string;
  @ApiProperty({ example: '1795512000', description: 'Unix time in seconds or milliseconds' }) Timestamp: string;
  @ApiProperty({
    example: '5bd59fd62953a8059fb7eaba95720f66d19e4517',
    description: 'sha1 of the sorted [secret, Timestamp, Nonce]',
  })
  Signature: string;
  @ApiProperty({ example: 1795512000123, description: 'When it happened upstream, ms' }) EventTime: number;
  @ApiProperty({ example: 'task_3f9a2c1d7e5b4a60' }) TaskId: string;
  @ApiProperty({
    example: { DriveId: 'drive_8a2d783d9d964d94b28d', Status: 4 },
    description: 'EventType 4: { DriveId, Status 1-4 }; EventType 3: { Status 1-5, RoomId, StreamId, FailReason? }',
  })
  Detail: Record<string, unknown>;
}

class CallbackAck {
  @ApiProperty({ example: true }) received: boolean;
  @ApiProperty({
    enum: ['recorded', 'duplicate', 'unconfirmed', 'ignored'],
    description:
      'duplicate: already applied (a retry) or no change; unconfirmed: a stream task event the upstream contradicts (its answer was recorded instead)',
  })
  outcome: string;
}

/** A callback is a few hundred bytes; the API's 1 MiB would let anyone without the secret make us read megabytes. */
export const CALLBACK_BODY_LIMIT_BYTES = 64 * 1024;

/** ZEGO's push notifications. The signature is the authentication, so no API key is asked for. */
@Public()
@Controller('callbacks')
export class CallbacksController {
  private readonly logger = new Logger(CallbacksController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly zego: ZegoClient,
    private readonly callbacks: CallbacksService,
    private readonly metrics: MetricsService,
  ) {}

  @Post('zego')
  @RouteConfig({ bodyLimit: CALLBACK_BODY_LIMIT_BYTES } satisfies RouteBodyLimit)
  @HttpCode(200)
  @ApiTags('callbacks')
  @ApiOperation({
    summary: 'ZEGO callback receiver (give this URL to ZEGO support)',
    description: 'Authenticated by its signature, not by API key. 2xx only once the event is stored.',
  })
  @ApiBody({ type: CallbackBody })
  @ApiOkResponse({ type: CallbackAck })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'Malformed event' })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description:
      'Missing or wrong signature, a timestamp more than 10 minutes from now, or a signature already used with another body',
  })
  @ApiForbiddenResponse({ type: ErrorDto, description: 'AppId is not this service’s account' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Callbacks are not enabled (ZEGO_CALLBACK_SECRET unset)' })
  @ApiPayloadTooLargeResponse({ type: ErrorDto, description: 'Body over 64 KiB' })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'Database unreachable, or a stream task event could not be confirmed with ZEGO yet; ZEGO will retry',
  })
  async receiveZegoCallback(@Body() body: unknown) {
    const secret = this.config.ZEGO_CALLBACK_SECRET;
    if (!secret) throw new NotFoundException('callbacks are not enabled (ZEGO_CALLBACK_SECRET is not set)');
    const verdict = verifyCallback(body, secret, this.zego.appId);
    if (!verdict.ok) {
      // Refused after its signature was verified: the signature is spent on this body all the same,
      // so that it cannot come back with a body that would be accepted.
      if (verdict.receipt && (await this.callbacks.keepReceipt(verdict.receipt)) === 'reused') this.refuseReused();
      this.metrics.callbacks.inc({ result: 'rejected', reason: verdict.reason });
      this.logger.warn(`callback refused (${verdict.reason}): ${verdict.message}`);
      if (verdict.status === 401) throw new UnauthorizedException(verdict.message);
      if (verdict.status === 403) throw new ForbiddenException(verdict.message);
      throw new BadRequestException(verdict.message);
    }
    const outcome = await this.callbacks.record(verdict.event, verdict.receipt);
    if (outcome === 'reused') this.refuseReused();
    this.metrics.callbacks.inc({ result: 'accepted', reason: outcome });
    return { received: true, outcome };
  }

  /** A signature seen before with another body: someone replaying a captured callback with their own content. */
  private refuseReused(): never {
    this.metrics.callbacks.inc({ result: 'rejected', reason: 'reused' });
    this.logger.warn(`callback refused (reused): its Signature already came with another body`);
    throw new UnauthorizedException('this signature was already used with another body');
  }
}
