/** Every failed API call becomes one ApiError: status, the API's code, message, field details and request id. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly details: FieldProblem[],
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

/** Turns the API's `{ error, code, details }` body (or anything else) into an ApiError. */
export function toApiError(status: number, body: unknown, requestId: string | undefined): ApiError {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message = typeof record.error === 'string' ? record.error : `HTTP ${status}`;
  const code = typeof record.code === 'string' ? record.code : undefined;
  const details = Array.isArray(record.details) ? record.details.flatMap(toFieldProblem) : [];
  return new ApiError(status, message, code, details, requestId);
}

function toFieldProblem(entry: unknown): FieldProblem[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const { field, property, problems, constraints } = entry as Record<string, unknown>;
  const name = typeof field === 'string' ? field : typeof property === 'string' ? property : undefined;
  if (!name) return [];
  const list = Array.isArray(problems) ? problems : typeof constraints === 'object' && constraints ? Object.values(constraints) : [];
  return [{ field: name.replace(/\[(\d+)\]/g, '.$1'), problems: list.map(String) }];
}
