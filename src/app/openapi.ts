import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER, BEARER } from '../common/api-docs';


/** The OpenAPI document of every route, generated from the controllers and DTOs. */
export function buildOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('drive-status')
    .setDescription(
      'An exact record of ZEGO digital-human drive statuses: current status, full history and failure counts over time. ' +
        'When the service runs with API_KEYS, every route except /health/* and /callbacks/zego needs one of the two auth schemes.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' }, BEARER)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'X-API-Key: <API key>' }, API_KEY_HEADER)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'drive-status API',
  });
}
