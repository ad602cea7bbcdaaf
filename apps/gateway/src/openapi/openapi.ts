import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorDto } from './response-schemas';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Bad Request: invalid input or JSON body',
  '401': 'Unauthorized: missing or invalid API key',
  '403': 'Forbidden: not on the Pro plan, role not allowed, plan limit reached',
  '404': 'Not Found: the resource does not exist or belongs to another tenant',
  '413': 'Payload Too Large: the body is over the size limit',
  '429': 'Too Many Requests: rate limit exceeded (see Retry-After)',
  '503': 'Service Unavailable: a service the request needs is down or overloaded; retry later',
};
/** Any change can conflict: with the resource's state, or with a request still holding its Idempotency-Key. */
const CHANGE_ERROR_RESPONSES: Record<string, string> = {
  '409':
    'Conflict: the change conflicts with the current state (for example the last owner), or the Idempotency-Key is in use or its outcome unknown',
};

/** OpenAPI 3 generated from the controllers and DTOs, served at /docs (Swagger UI) and /docs/openapi.json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Passway API')
    .setDescription(
      'Issue, scan and manage digital passes. Send `Authorization: Bearer <API key>`. Pro plan only. ' +
        'Every API response carries X-RateLimit-Limit/Remaining/Reset and RateLimit/RateLimit-Policy headers; ' +
        'POST accepts an Idempotency-Key header. See docs/gateway-policies.md.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'An API key (pwk_...)' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorDto] });
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(item) as [string, { security?: unknown; responses?: Record<string, unknown> }][]) {
      if (typeof operation !== 'object' || !operation?.responses) continue;
      operation.security = [{ bearer: [] }];
      const errors = method === 'get' ? ERROR_RESPONSES : { ...ERROR_RESPONSES, ...CHANGE_ERROR_RESPONSES };
      for (const [status, description] of Object.entries(errors)) {
        operation.responses[status] ??= {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } },
        };
      }
    }
  }
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, yamlDocumentUrl: 'docs/openapi.yaml' });
}
