import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, OperationObject, ResponseObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER, BEARER } from '../common/api-docs';
import { requiredScope, RouteAccess, routeAccess } from '../common/scope.decorator';
import { grants, Scope, SCOPES } from '../config/api-keys';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** What each route handler asks of a key, by `Controller.method`. */
function accessByHandler(app: INestApplication): Map<string, RouteAccess> {
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) =>
    [...module.controllers.values()].flatMap((wrapper) => (wrapper.metatype ? [wrapper.metatype] : [])),
  ) as Array<abstract new (...args: never[]) => unknown>;
  return new Map(routeAccess(controllers).map((route) => [route.handler, route]));
}

/** The scopes that include `needed`, for the reader: "read, write or admin". */
function acceptedScopes(needed: Scope): string {
  const names = SCOPES.filter((held) => grants(held, needed));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
}

/**
 * Marks an operation with the scope it needs: the `x-required-scope` extension for tools, a
 * sentence in its description for people, and the 403 a key of too small a scope gets.
 */
function markScope(operation: OperationObject, scope: Scope): void {
  (operation as OperationObject & { 'x-required-scope': Scope })['x-required-scope'] = scope;
  const sentence = `Needs an API key with the ${scope} scope (a ${acceptedScopes(scope)} key).`;
  operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
  operation.responses['403'] = {
    description: `The key is valid but lacks the ${scope} scope; the message names the scope needed and the key's`,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } },
  };
}

/**
 * The OpenAPI document of every route, generated from the controllers and DTOs, then completed
 * where the generator cannot know: routes open to all say so (`security: []`), error answers are
 * JSON whatever the route's success type, and CSV answers are text.
 */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('drive-status')
    .setDescription(
      'An exact record of ZEGO digital-human drive statuses: current status, full history and failure counts over time. ' +
        'When the service runs with API_KEYS, every route except /health/* and /callbacks/zego needs one of the two auth schemes, ' +
        'with a key whose scope includes the one the operation names (x-required-scope): metrics (GET /metrics only), ' +
        'read (every GET), write (read, plus tracking and producer registration) or admin (write, plus alert rules, webhooks and silences).',
    )
    .setVersion('1')
    .addServer('/', 'This service: paths are relative to where this document is served')
    .addTag('tasks', 'Tracked tasks, their drives with full status history, and failure counts over time')
    .addTag('reports', 'Failure and duration reports across tasks, from hourly aggregates; JSON or CSV')
    .addTag('callbacks', 'ZEGO push callbacks, authenticated by their signature')
    .addTag('alerts', 'Alert rules, firing and resolved alerts, and silences (maintenance windows)')
    .addTag('webhooks', 'Signed outbound webhooks that carry alert events, with every delivery attempt')
    .addTag('operations', 'Sync state and Prometheus metrics')
    .addTag('auth', 'The scope of the key a request is sent with')
    .addTag('health', 'Liveness and readiness probes; no API key needed')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' }, BEARER)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'X-API-Key: <API key>' }, API_KEY_HEADER)
    .addSecurityRequirements(BEARER)
    .addSecurityRequirements(API_KEY_HEADER)
    .build();
  // Proprietary (package.json: UNLICENSED), so there is no licence text to link to.
  config.info = { ...config.info, license: { name: 'UNLICENSED (proprietary, internal use only)' } };
  delete config.info.contact;

  const access = accessByHandler(app);
  const accessById = new Map<string, RouteAccess>();
  const document = SwaggerModule.createDocument(app, config, {
    autoTagControllers: false,
    // A route's operation id is its handler's name: what the generated client's callers read.
    operationIdFactory: (controller, method) => {
      const route = access.get(`${controller}.${method}`);
      if (route) accessById.set(method, route);
      return method;
    },
  });

  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const id = operation.operationId ?? '';
      const other = seen.get(id);
      if (other) {
        throw new Error(`operationId "${id}" is given to both ${other} and ${where}: rename one of the two handlers`);
      }
      seen.set(id, where);
      const required = requiredScope(accessById.get(id)?.declared, method.toUpperCase());
      if (required === 'public') operation.security = [];
      else markScope(operation, required);
      for (const [status, response] of Object.entries(operation.responses)) {
        completeResponse(response as ResponseObject, Number(status) >= 400);
      }
    }
  }
  return document;
}

/**
 * Error answers are always JSON (the exception filter writes them), even on routes that produce
 * text; a CSV answer is text, whatever the JSON one looks like.
 */
function completeResponse(response: ResponseObject, isError: boolean): void {
  const content = response.content;
  if (!content) return;
  if (isError) {
    const json = content['application/json'] ?? Object.values(content)[0];
    if (json) response.content = { 'application/json': json };
    return;
  }
  if (content['text/csv']) {
    content['text/csv'] = { schema: { type: 'string', description: 'CSV with a header row' } };
  }
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'drive-status API',
  });
}
