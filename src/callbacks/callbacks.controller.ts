import { Body, Controller, ForbiddenException, HttpCode, Logger, NotFoundException, Post, BadRequestException, UnauthorizedException } from '@nestjs/common';
import { Public } from '../common/public.decorator';
import { AppConfig } from '../config/app-config';
import { ZegoClient } from '../zego/zego.client';
import { CallbacksService } from './callbacks.service';
import { verifyCallback } from './zego-callback';

/** ZEGO's push notifications. The signature is the authentication, so no API key is asked for. */
@Public()
@Controller('callbacks')
export class CallbacksController {
  private readonly logger = new Logger(CallbacksController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly zego: ZegoClient,
    private readonly callbacks: CallbacksService,
  ) {}

  @Post('zego')
  @HttpCode(200)
  async receive(@Body() body: unknown) {
    const secret = this.config.ZEGO_CALLBACK_SECRET;
    if (!secret) throw new NotFoundException('callbacks are not enabled (ZEGO_CALLBACK_SECRET is not set)');
    const verdict = verifyCallback(body, secret, this.zego.appId);
    if (!verdict.ok) {
      this.logger.warn(`callback refused (${verdict.reason}): ${verdict.message}`);
      if (verdict.status === 401) throw new UnauthorizedException(verdict.message);
      if (verdict.status === 403) throw new ForbiddenException(verdict.message);
      throw new BadRequestException(verdict.message);
    }
    const outcome = await this.callbacks.record(verdict.event);
    return { received: true, outcome };
  }
}
