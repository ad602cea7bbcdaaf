import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/** Every request and response body of the API, by schema name (`Schemas['PassDetailDto']`). */
export type Schemas = components['schemas'];

export type PasswayClient = Client<paths>;

export interface PasswayClientOptions extends ClientOptions {
  /** The gateway's origin, e.g. `http://localhost:3000` (paths carry `/api/v1`). */
  baseUrl: string;
  /** An API key (`pwk_…`); sent as `Authorization: Bearer`. */
  apiKey?: string;
}

/** A typed client of the Passway API: every path, parameter and body is checked against the OpenAPI document. */
export function createPasswayClient({ apiKey, headers, ...options }: PasswayClientOptions): PasswayClient {
  return createClient<paths>({
    ...options,
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(headers as Record<string, string> | undefined) },
  });
}
