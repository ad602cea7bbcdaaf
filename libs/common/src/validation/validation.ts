import { plainToInstance } from 'class-transformer';
import { ValidationError, ValidatorOptions, validateSync } from 'class-validator';
import { invalidArgument } from '../errors/domain-error';

/** Whitelisted and strict: an unknown field is an error, never silently dropped. */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

export interface FieldProblem {
  field: string;
  problems: string[];
}

export function describeValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints
      ? [{ field, problems: Object.values(error.constraints).map((m) => m.replace('property ', 'field ')) }]
      : [];
    return [...own, ...describeValidationErrors(error.children ?? [], field)];
  });
}

export function validationFailure(errors: ValidationError[]) {
  const details = describeValidationErrors(errors);
  const first = details[0]?.problems[0] ?? 'invalid input';
  return invalidArgument(first, 'validation_failed', details);
}

/** Validates a command's input against its contract class; the service-side half of the boundary check. */
export function validateInput<T extends object>(cls: new () => T, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidArgument('request body must be a JSON object', 'invalid_body');
  }
  const instance = plainToInstance(cls, input);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw validationFailure(errors);
  return instance;
}
