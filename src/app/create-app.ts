import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorBody } from '../common/http-exception.filter';
import { validationPipe } from '../common/validation';
import { AppModule, AppRuntime } from './app.module';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the application (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createApp(runtime: AppRuntime, logger?: LoggerService | false): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, maxParamLength: 512 });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(runtime), adapter, {
    logger: logger ?? undefined,
    abortOnError: false,
  });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  // Errors Fastify raises before a route runs (malformed JSON, a body over the limit) get the
  // same shape as every other error.
  adapter.getInstance().setErrorHandler((err, _request, reply) => {
    const error = err as { statusCode?: number; message: string };
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    void reply.status(status).send(errorBody(status, status === 500 ? 'internal error' : error.message));
  });
  await app.init();
  return app;
}
