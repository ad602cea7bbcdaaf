import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** Strict ISO 8601 date-time with a timezone, or a plain date; the format seed 001 documents. */
export const ISO_8601_PATTERN =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export function IsIso8601DateTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIso8601DateTime',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 8601 date (e.g. 2025-06-01T00:00:00Z)`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && ISO_8601_PATTERN.test(value) && !Number.isNaN(Date.parse(value)),
      },
    });
}

/** Passes when the named date property is absent/null or not after this one. */
export function IsNotBefore(otherProperty: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName,
      constraints: [otherProperty],
      options: { message: `${propertyName} must not be before ${otherProperty}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[args.constraints[0]];
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          const a = Date.parse(value);
          const b = Date.parse(other);
          return Number.isNaN(a) || Number.isNaN(b) || a >= b;
        },
      },
    });
}
