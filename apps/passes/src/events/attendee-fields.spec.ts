import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DomainError } from '@passway/common';
import { assertRequiredAttendeeFields, holderValues, normaliseAttendeeFields } from './attendee-fields';

describe('attendee fields', () => {
  it('always starts with a required name and fills in labels and required flags', () => {
    assert.deepEqual(normaliseAttendeeFields([]), [{ key: 'name', label: 'Name', required: true }]);
    assert.deepEqual(normaliseAttendeeFields([{ key: 'email', required: true }, { key: 'company' }, { key: 'name', label: 'Full name' }]), [
      { key: 'name', label: 'Full name', required: true },
      { key: 'email', label: 'Email', required: true },
      { key: 'company', label: 'company', required: false },
    ]);
  });

  it('refuses duplicate keys and an optional name', () => {
    assert.throws(
      () => normaliseAttendeeFields([{ key: 'email' }, { key: 'email' }]),
      (e: DomainError) => e.code === 'duplicate_attendee_field',
    );
    assert.throws(
      () => normaliseAttendeeFields([{ key: 'name', required: false }]),
      (e: DomainError) => e.code === 'attendee_name_required',
    );
  });

  const fields = normaliseAttendeeFields([{ key: 'email', required: true }, { key: 'phone' }, { key: 'company', required: true }]);

  it('reads reserved keys from the client and others from customFields, blank as missing', () => {
    assert.deepEqual(
      holderValues(fields, {
        client: { name: 'Ann', email: 'ann@example.com', phone: null },
        customFields: [{ key: 'company', value: '  ' }],
      }),
      { name: 'Ann', email: 'ann@example.com', phone: null, company: null },
    );
  });

  it('names every missing required field', () => {
    assert.doesNotThrow(() =>
      assertRequiredAttendeeFields(fields, {
        client: { name: 'Ann', email: 'a@b.co', phone: null },
        customFields: [{ key: 'company', value: 'Acme' }],
      }),
    );
    assert.throws(
      () => assertRequiredAttendeeFields(fields, { client: null, customFields: [{ key: 'Company', value: 'wrong case' }] }),
      (e: DomainError) => {
        assert.equal(e.kind, 'invalid_argument');
        assert.equal(e.code, 'attendee_field_missing');
        assert.deepEqual(
          (e.details as { field: string }[]).map((d) => d.field),
          ['name', 'email', 'company'],
        );
        assert.match(e.message, /name, email, company/);
        return true;
      },
    );
  });
});
