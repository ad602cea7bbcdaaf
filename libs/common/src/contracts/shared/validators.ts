import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** Strict ISO 8601 date-time with a timezone, or a plain date; the format the REST contract documents. */
export const ISO_8601_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** True for a real calendar date in ISO 8601 form (no 2025-02-30, which Date.parse would roll over). */
export function isIso8601DateTime(value: string): boolean {
  if (!ISO_8601_PATTERN.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

export function IsIso8601DateTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIso8601DateTime',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an ISO 8601 date (e.g. 2025-06-01T00:00:00Z)`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isIso8601DateTime(value),
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
          const other = (args.object as Record<string, unknown>)[otherProperty];
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          const a = Date.parse(value);
          const b = Date.parse(other);
          return Number.isNaN(a) || Number.isNaN(b) || a >= b;
        },
      },
    });
}
