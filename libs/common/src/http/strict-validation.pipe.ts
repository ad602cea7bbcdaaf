import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateInput } from '../validation/validation';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object]);

/** Validates bodies and queries against their contract class with the same rules the services apply. */
@Injectable()
export class StrictValidationPipe implements PipeTransform {
  transform(value: unknown, { metatype, type }: ArgumentMetadata) {
    if (!metatype || PRIMITIVES.has(metatype) || (type !== 'body' && type !== 'query')) return value;
    return validateInput(metatype as new () => object, value ?? {});
  }
}

/** For handlers whose parameter type is generic: validates against an explicit contract class. */
export class ValidateWith<T extends object> implements PipeTransform {
  constructor(private readonly contract: new () => T) {}

  transform(value: unknown): T {
    return validateInput(this.contract, value ?? {});
  }
}
