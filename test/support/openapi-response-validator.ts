import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface OpenApiResponse {
  content?: Record<string, { schema?: object }>;
}
interface OpenApiOperation {
  responses?: Record<string, OpenApiResponse>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, object> };
}

/** One way a real response differs from the OpenAPI document. */
export interface ResponseViolation {
  route: string;
  status: number;
  problems: string[];
}

/**
 * Holds real responses against the OpenAPI document the gateway generates from its classes (the
 * same document the SDK is generated from): the status must be documented for the route, and a JSON
 * body must match the documented schema. Routes outside the document (the console's files) pass.
 */
export class OpenApiResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly routes: { method: string; template: string; pattern: RegExp; operation: OpenApiOperation }[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  private readonly document: OpenApiDocument;

  constructor(document: OpenApiDocument) {
    this.document = asJsonSchema(document) as OpenApiDocument;
    addFormats(this.ajv);
    for (const [template, operations] of Object.entries(this.document.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, operation] of Object.entries(operations)) {
        this.routes.push({ method: method.toUpperCase(), template, pattern, operation });
      }
    }
    // Literal segments win over parameters (`/scans/batch` before `/scans/{id}`).
    this.routes.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length);
  }

  static fromRepository(): OpenApiResponseValidator {
    const file = path.resolve(__dirname, '..', '..', 'libs', 'sdk', 'openapi.json');
    return new OpenApiResponseValidator(JSON.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument);
  }

  /** The problems of one response, or null when it matches (or its route is not in the document). */
  check(method: string, pathname: string, status: number, contentType: string, body: unknown): ResponseViolation | null {
    const route = this.routes.find((candidate) => candidate.method === method.toUpperCase() && candidate.pattern.test(pathname));
    if (!route) return null;
    const name = `${route.method} ${route.template}`;
    const responses = route.operation.responses ?? {};
    const documented = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!documented) {
      return { route: name, status, problems: [`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`] };
    }
    const schema = documented.content?.['application/json']?.schema;
    if (!schema || !contentType.includes('json')) return null;
    const key = `${name} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile({ ...schema, components: this.document.components });
      this.compiled.set(key, validate);
    }
    if (validate(body)) return null;
    return {
      route: name,
      status,
      problems: (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`),
    };
  }
}

/**
 * OpenAPI 3.0's `nullable: true` beside `allOf`/`$ref` means "this, or null", which JSON Schema
 * validators read as "this" alone: it becomes `anyOf: [null, this]` before compiling.
 */
function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).map(([key, value]) => [key, asJsonSchema(value)] as const);
  const converted = Object.fromEntries(entries) as Record<string, unknown>;
  if (converted.nullable !== true) return converted;
  const { nullable: _nullable, ...schema } = converted;
  return { anyOf: [{ type: 'null' }, schema] };
}
