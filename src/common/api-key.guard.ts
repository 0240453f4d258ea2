import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { ApiKeys, presentedKey } from './api-keys';
import { IS_PUBLIC } from './public.decorator';

/**
 * With API_KEYS set, every route not marked @Public() (health, signed callbacks) needs
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: ApiKeys;

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = new ApiKeys(config.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.required) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const presented = presentedKey(context.switchToHttp().getRequest<FastifyRequest>().headers);
    if (this.keys.match(presented) >= 0) return true;
    throw new UnauthorizedException(
      presented
        ? 'the API key is not valid'
        : 'an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>',
    );
  }
}
