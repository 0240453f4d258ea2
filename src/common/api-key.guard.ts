import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { IS_PUBLIC } from './public.decorator';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * With API_KEYS set, every route not marked @Public() (health, signed callbacks) needs `Authorization: Bearer <key>` or
 * `X-API-Key: <key>`. Keys are compared as SHA-256 digests in constant time, so neither a key's
 * content nor its length leaks through timing.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.keys = config.apiKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.length) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const bearer =
      typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
    const apiKey = request.headers['x-api-key'];
    const presented = bearer ?? (typeof apiKey === 'string' ? apiKey.trim() : undefined);
    if (presented) {
      const candidate = digest(presented);
      let match = false;
      for (const key of this.keys) match = timingSafeEqual(key, candidate) || match;
      if (match) return true;
    }
    throw new UnauthorizedException(
      presented
        ? 'the API key is not valid'
        : 'an API key is required: send Authorization: Bearer <key> or X-API-Key: <key>',
    );
  }
}
