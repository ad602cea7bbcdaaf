import * as fs from 'node:fs';
import * as path from 'node:path';
import type { paths } from '../../libs/sdk/src/schema';
import { OpenApiResponseValidator } from './openapi-response-validator';

/**
 * A small HTTP client for e2e tests: JSON in, status + headers + parsed body out. Every response is
 * held against the OpenAPI document (the SDK's source), so the document cannot drift from what
 * the gateway answers: a mismatch fails the request's test.
 */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
/** `/passes/{passId}/revoke` → `/passes/${string}/revoke`: what a test writes for that route. */
type Filled<P extends string> = P extends `${infer Head}{${string}}${infer Tail}` ? `${Head}${string}${Filled<Tail>}` : P;
type Written<P extends string> = Filled<P extends `/api/v1${infer Rest}` ? Rest : P>;
type Route = Extract<keyof paths, string>;
type Documented<M extends Method> = {
  [P in Route]: [NonNullable<paths[P][M]>] extends [never] ? never : Written<P> | Filled<P>;
}[Route];
/**
 * A path of the OpenAPI document (the SDK's `paths`) that answers `M`, with or without `/api/v1`
 * and a query: a test of a route the document lacks, or with the wrong method, does not compile.
 * (A path parameter stands for any text, slashes included: TypeScript has no "no slash" string.)
 * Tests that mean to call something undocumented (a 404, a page) say so with `request()`.
 */
export type ApiPath<M extends Method> = Documented<M> | `${Documented<M>}?${string}`;

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey?: string,
  ) {}

  withKey(apiKey: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, apiKey);
  }

  get<T = any>(path: ApiPath<'get'>, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = any>(path: ApiPath<'post'>, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T = any>(path: ApiPath<'patch'>, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  delete<T = any>(path: ApiPath<'delete'>, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (this.apiKey && !('authorization' in lower(headers))) headers.authorization = `Bearer ${this.apiKey}`;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !('content-type' in lower(headers))) headers['content-type'] = 'application/json';
    const url = path.startsWith('http')
      ? path
      : `${this.baseUrl}${path.startsWith('/api/') || path.startsWith('/health') || path.startsWith('/p/') || path.startsWith('/docs') || path.startsWith('/e/') || path.startsWith('/metrics') ? '' : '/api/v1'}${path}`;
    const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      parsed = JSON.parse(text);
    }
    checkAgainstOpenApi(method, url, response, parsed);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }
}

let validator: OpenApiResponseValidator | undefined;

function checkAgainstOpenApi(method: string, url: string, response: Response, body: unknown): void {
  validator ??= OpenApiResponseValidator.fromRepository();
  const violation = validator.check(method, new URL(url).pathname, response.status, response.headers.get('content-type') ?? '', body);
  if (!violation) return;
  const line = `${violation.route} answered ${violation.status}: ${violation.problems.join('; ')}`;
  if (process.env.OPENAPI_RESPONSE_CHECK === 'report') {
    const dir = path.resolve(__dirname, '..', '..', 'test-artifacts');
    fs.mkdirSync(dir, { recursive: true });
    fs.appendFileSync(path.join(dir, 'openapi-violations.txt'), `${line}\n`);
    return;
  }
  throw new Error(`response does not match the OpenAPI document: ${line}`);
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
