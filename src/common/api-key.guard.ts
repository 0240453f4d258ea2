import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { grants } from '../config/api-keys';
import { ApiKeys, MATCHED_KEY, presentedKey, WithMatchedKey } from './api-keys';
import { declaredAccess, requiredScope } from './scope.decorator';

/**
 * With API_KEYS set, every route not marked @Public() (health, signed callbacks) needs
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`, of a scope that includes the route's
 * (@RequiresScope): no key or an unknown one is a 401, a key of too small a scope a 403.
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
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const needed = requiredScope(
      declaredAccess(this.reflector, context.getHandler(), context.getClass()),
      request.method,
    );
    if (needed === 'public') return true;
    const presented = presentedKey(request.headers);
    const key = this.keys.match(presented);
    if (!key) {
      throw new UnauthorizedException(
        presented
          ? 'the API key is not valid'
          : 'an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>',
      );
    }
    (request.raw as WithMatchedKey)[MATCHED_KEY] = key;
    if (!grants(key.scope, needed)) {
      throw new ForbiddenException(
        `this route needs a key with the ${needed} scope; this key (${key.fingerprint}) has the ${key.scope} scope`,
      );
    }
    return true;
  }
}
