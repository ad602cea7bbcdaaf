import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { GatewayAppModule } from '../apps/gateway/src/app.module';
import { listRoutes, toOpenApiPath } from '../apps/gateway/src/openapi/route-inventory';
import { anonymousApi } from './support/e2e-env';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * A focused structural check of OpenAPI 3.0 (no validator package is installed): the required
 * fields of the document, paths, operations, parameters and responses, and every $ref resolving.
 */
function validateOpenApi3(doc: any): string[] {
  const problems: string[] = [];
  const need = (cond: unknown, what: string) => !cond && problems.push(what);
  need(typeof doc.openapi === 'string' && /^3\.\d+\.\d+$/.test(doc.openapi), 'openapi: 3.x.y');
  need(doc.info && typeof doc.info.title === 'string' && typeof doc.info.version === 'string', 'info.title and info.version');
  need(doc.paths && typeof doc.paths === 'object', 'paths');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    need(path.startsWith('/'), `path ${path} starts with /`);
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries<any>(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      need(op.responses && Object.keys(op.responses).length > 0, `${where}: responses`);
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        need(/^([1-5]\d\d|[1-5]XX|default)$/.test(status), `${where}: response key ${status}`);
        need(typeof response.description === 'string' || response.$ref, `${where} ${status}: description`);
      }
      if (op.operationId) {
        need(!operationIds.has(op.operationId), `${where}: operationId ${op.operationId} is unique`);
        operationIds.add(op.operationId);
      }
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      for (const p of params) {
        need(p.$ref || (typeof p.name === 'string' && ['query', 'header', 'path', 'cookie'].includes(p.in)), `${where}: parameter name/in`);
        if (p.in === 'path') need(p.required === true, `${where}: path parameter ${p.name} is required`);
      }
      for (const name of templated)
        need(
          params.some((p) => p.in === 'path' && p.name === name),
          `${where}: declares path parameter ${name}`,
        );
      if (op.requestBody) need(op.requestBody.content || op.requestBody.$ref, `${where}: requestBody.content`);
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement))
          need(doc.components?.securitySchemes?.[scheme], `${where}: security scheme ${scheme} exists`);
      }
    }
  }
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref') {
        const target = String(value).startsWith('#/')
          ? String(value)
              .slice(2)
              .split('/')
              .reduce<any>((n, part) => n?.[part], doc)
          : undefined;
        need(target !== undefined, `${at}: $ref ${value} resolves`);
      } else walk(value, `${at}/${key}`);
    }
  };
  walk(doc, '#');
  return problems;
}

describe('OpenAPI document', () => {
  it('serves Swagger UI at /docs and OpenAPI 3 at /docs/openapi.json, publicly', async () => {
    const ui = await anonymousApi().request('GET', '/docs');
    assert.equal(ui.status, 200);
    assert.match(ui.text, /swagger/i);
    const json = await anonymousApi().request('GET', '/docs/openapi.json');
    assert.equal(json.status, 200);
    assert.match(json.body.openapi, /^3\./);
  });

  it('lists every route Nest registers under /api/v1, with its method', async () => {
    const doc = (await anonymousApi().request('GET', '/docs/openapi.json')).body;
    const routes = listRoutes(GatewayAppModule).filter((route) => route.path.startsWith('/api/v1'));
    assert.ok(routes.length >= 20);
    const missing = routes.filter((route) => !doc.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()]);
    assert.deepEqual(
      missing.map((r) => `${r.method} ${r.path}`),
      [],
    );
  });

  it('validates as OpenAPI 3 and documents auth, request bodies from the DTOs and main response schemas', async () => {
    const doc = (await anonymousApi().request('GET', '/docs/openapi.json')).body;
    assert.deepEqual(validateOpenApi3(doc), []);
    assert.deepEqual(doc.components.securitySchemes.bearer, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'API key',
      description: 'An API key (pwk_...)',
    });
    const create = doc.paths['/api/v1/passes'].post;
    assert.deepEqual(create.security, [{ bearer: [] }]);
    assert.ok(create.tags.includes('passes'));
    const bodyRef = create.requestBody.content['application/json'].schema.$ref;
    const body = doc.components.schemas[bodyRef.split('/').pop()];
    assert.deepEqual(body.required, ['type']);
    assert.deepEqual(body.properties.type.enum, ['single', 'multi']);
    for (const field of [
      'name',
      'note',
      'clientName',
      'maxUsages',
      'validFrom',
      'validUntil',
      'customFields',
      'templateId',
      'locationId',
    ]) {
      assert.ok(body.properties[field], `CreatePassDto.${field}`);
    }
    assert.ok(create.responses['201'].content['application/json'].schema.$ref.endsWith('/PassCreatedDto'));
    assert.ok(create.responses['429'] && create.responses['403'] && create.responses['401']);
    const list = doc.paths['/api/v1/passes'].get;
    assert.deepEqual(list.parameters.map((p: any) => p.name).sort(), ['eventId', 'limit', 'page', 'search', 'status']);
    assert.equal(list.responses['200'].content['application/json'].schema.type, 'array');
    for (const [path, method] of [
      ['/api/v1/templates', 'post'],
      ['/api/v1/locations/{id}', 'patch'],
      ['/api/v1/clients', 'post'],
      ['/api/v1/api-keys', 'post'],
    ]) {
      assert.ok(doc.paths[path][method].requestBody, `${method} ${path} has a request body`);
    }
    assert.ok(doc.paths['/api/v1/organization'].get.responses['200'].content['application/json'].schema.$ref.endsWith('/OrganizationDto'));
  });
});
