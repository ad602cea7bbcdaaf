import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDto } from './response-schemas';

/**
 * Documents a route-specific error status (the JSON error body) that the document's common set
 * (400, 401, 403, 404, 413, 429, 503: see openapi.ts) does not already cover, such as 409 or 410.
 */
export const ApiErrorResponse = (status: HttpStatus, description: string) =>
  applyDecorators(ApiResponse({ status, description, type: ErrorDto }));
