import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { validationPipe } from '../common/validation';
import { AppModule, AppRuntime } from './app.module';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the application (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createApp(runtime: AppRuntime, logger?: LoggerService | false): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, routerOptions: { maxParamLength: 512 } });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(runtime), adapter, {
    logger: logger ?? undefined,
    abortOnError: false,
  });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  await app.init();
  return app;
}
