import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { CreatePassDto } from '../contracts/passes/pass.dto';
import { DomainError } from '../errors/domain-error';
import { validateInput } from './validation';

const problemsOf = (input: unknown) => {
  try {
    validateInput(CreatePassDto, input);
    return [];
  } catch (error) {
    assert.ok(error instanceof DomainError);
    assert.equal(error.kind, 'invalid_argument');
    return (error.details as { field: string }[] | undefined)?.map((d) => d.field) ?? [error.code];
  }
};

describe('validateInput (the service-side boundary check)', () => {
  it('accepts a valid command and drops nothing', () => {
    const pass = validateInput(CreatePassDto, { type: 'multi', maxUsages: 3, validFrom: '2025-06-01T00:00:00Z', validUntil: '2025-06-02' });
    assert.equal(pass.maxUsages, 3);
    assert.ok(pass instanceof CreatePassDto);
  });

  it('names each offending field, nested ones included', () => {
    assert.deepEqual(problemsOf({ type: 'x' }), ['type']);
    assert.deepEqual(problemsOf({ type: 'single', extra: 1 }), ['extra']);
    assert.deepEqual(problemsOf({ type: 'single', customFields: [{ key: 'k', value: 1 }] }), ['customFields.0.value']);
    assert.deepEqual(problemsOf({ type: 'single', validFrom: '2025-02-30T00:00:00Z' }), ['validFrom'], 'no rolling over to March');
    assert.deepEqual(problemsOf({ type: 'single', validFrom: '01/02/2025' }), ['validFrom']);
    assert.deepEqual(problemsOf({ type: 'single', validFrom: '2025-06-02T00:00:00Z', validUntil: '2025-06-01T00:00:00Z' }), ['validUntil']);
  });

  it('refuses bodies that are not objects', () => {
    for (const input of [null, [], 'text', 42]) assert.deepEqual(problemsOf(input), ['invalid_body']);
  });
});
