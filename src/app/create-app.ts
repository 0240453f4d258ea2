import rateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import helmet from 'helmet';
import { ApiKeys, presentedKey } from '../common/api-keys';
import { errorBody } from '../common/http-exception.filter';
import { applyRouteBodyLimit, registerBodyParsers } from '../common/json-body';
import { validationPipe } from '../common/validation';
import { MetricsService } from '../metrics/metrics.service';
import { nameServerSpan } from '../tracing/spans';
import { AppModule, AppRuntime } from './app.module';
import { requestId } from './logging';
import { setUpOpenApi } from './openapi';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Every route the HTTP server registered, per application (the OpenAPI test compares it with the spec). */
export const registeredRoutes = new WeakMap<NestFastifyApplication, Array<{ method: string; url: string }>>();

/** Builds the application (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createApp(runtime: AppRuntime): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 512 },
    trustProxy: false,
    // The request id the logs carry: the caller's X-Request-Id when well-formed, else a new UUID.
    requestIdHeader: false,
    genReqId: requestId,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(runtime), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe());
  registerBodyParsers(app, BODY_LIMIT_BYTES);
  // No enableShutdownHooks(): main.ts handles the signals and closes the app once (see its shutdown).

  // Security headers on every response. The dashboard and the API docs load only their own files;
  // Swagger UI needs inline script and style. Helmet's middleware is built once here and run
  // from an onRequest hook (the @fastify/helmet wrapper rebuilt it on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });

  // Per-client limit: by API key when a valid one is sent, else by address. ZEGO's callbacks and the
  // health checks are not limited (a burst of callbacks must not be refused).
  // Registered even when the per-client limit is off: some routes have their own (webhook tests).
  {
    const apiKeys = new ApiKeys(runtime.config.apiKeys);
    // (Cast: Nest's adapter types its own copy of Fastify's instance type.)
    type Plugin = Parameters<NestFastifyApplication['register']>[0];
    await app.register(rateLimit as unknown as Plugin, {
      global: runtime.config.RATE_LIMIT_PER_MINUTE > 0,
      max: runtime.config.RATE_LIMIT_PER_MINUTE || 1,
      timeWindow: 60_000,
      allowList: (req: FastifyRequest) => req.url.startsWith('/callbacks/') || req.url.startsWith('/health/'),
      // A key counts only once it matched a configured one: invented keys share their address's quota.
      // By the key's digest, not its place in API_KEYS, so adding or reordering keys moves no quota.
      keyGenerator: (req: FastifyRequest) => {
        const key = apiKeys.match(presentedKey(req.headers));
        return key ? `key:${key.id}` : `ip:${req.ip}`;
      },
      errorResponseBuilder: (_req: FastifyRequest, context: { max: number; ttl: number }) => ({
        ...errorBody(
          429,
          `too many requests: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
        ),
      }),
    });
  }

  const metrics = app.get(MetricsService);
  const fastify = adapter.getInstance();
  const routes: Array<{ method: string; url: string }> = [];
  registeredRoutes.set(app, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
    applyRouteBodyLimit(route);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    nameServerSpan(request.raw, request.method, request.routeOptions.url);
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });

  setUpOpenApi(app);
  await app.init();
  return app;
}
