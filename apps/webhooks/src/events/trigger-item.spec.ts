import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { createEvent, PassCreatedValue, PassScannedValue } from '@passway/common';
import { triggerItem } from './trigger-item';

const pass: PassCreatedValue = {
  id: 'p1',
  tenantId: 't1',
  code: 'CODE',
  name: 'VIP',
  note: 'internal',
  type: 'single',
  status: 'active',
  usagesCount: 0,
  maxUsages: null,
  validFrom: null,
  validUntil: null,
  fields: [{ key: 'Seat', value: 'A1', isPublic: true }],
  client: { id: 'c1', name: 'Jane', email: 'jane@example.com', phone: '+1555' },
  templateId: null,
  locationId: null,
  eventId: null,
  publicUrl: 'https://x/p/CODE?token=t',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  branding: null,
};

describe('triggerItem', () => {
  it('pass.created: the list item plus flat client fields, without tenant or note', () => {
    const item = triggerItem(createEvent('pass.created', 't1', pass));
    assert.deepEqual(item.client, { name: 'Jane', email: 'jane@example.com' });
    assert.equal(item.clientName, 'Jane');
    assert.equal(item.clientEmail, 'jane@example.com');
    assert.equal(item.clientPhone, '+1555');
    assert.ok(!('tenantId' in item) && !('note' in item) && !('fields' in item));
    const anonymous = triggerItem(createEvent('pass.created', 't1', { ...pass, client: null }));
    assert.deepEqual([anonymous.clientName, anonymous.clientEmail, anonymous.clientPhone], [null, null, null]);
  });

  it('pass.status_changed: the pass detail with previousStatus and changedAt', () => {
    const item = triggerItem(
      createEvent('pass.status_changed', 't1', {
        ...pass,
        status: 'revoked',
        previousStatus: 'active',
        changedAt: '2025-01-02T00:00:00.000Z',
      }),
    );
    assert.equal(item.status, 'revoked');
    assert.equal(item.previousStatus, 'active');
    assert.equal(item.changedAt, '2025-01-02T00:00:00.000Z');
    assert.deepEqual(item.fields, pass.fields);
    assert.ok(!('tenantId' in item));
  });

  it('client.created: the client record; pass.scanned: every field but the tenant', () => {
    const client = triggerItem(
      createEvent('client.created', 't1', {
        id: 'c1',
        tenantId: 't1',
        name: 'Jane',
        email: null,
        phone: null,
        notes: null,
        createdAt: 'x',
      }),
    );
    assert.deepEqual(Object.keys(client).sort(), ['createdAt', 'email', 'id', 'name', 'notes', 'phone']);
    const scanned: PassScannedValue = {
      id: 's1',
      passId: 'p1',
      code: 'CODE',
      passName: 'VIP',
      holderName: 'Jane',
      passType: 'single',
      success: true,
      result: 'success',
      usagesCount: 1,
      maxUsages: null,
      passStatus: 'used',
      scannedAt: '2025-01-01T00:00:00.000Z',
      channel: 'offline',
      method: 'manual',
      eventId: null,
    };
    const withTenant: PassScannedValue & { tenantId: string } = { ...scanned, tenantId: 't1' };
    assert.deepEqual(triggerItem(createEvent('pass.scanned', 't1', withTenant)), scanned);
  });
  it('event.created: the event as GET /events/:id shows it; event.updated adds changedFields and previousStatus', () => {
    const event = {
      id: 'e1',
      tenantId: 't1',
      name: 'Gala',
      slug: 'gala',
      startsAt: '2031-05-01T18:00:00.000Z',
      endsAt: null,
      venue: null,
      category: null,
      details: null,
      attendeeFields: [],
      branding: {},
      status: 'suspended' as const,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-02T00:00:00.000Z',
    };
    const { tenantId: _t, ...shown } = event;
    assert.deepEqual(triggerItem(createEvent('event.created', 't1', event as any)), shown);
    const updated = triggerItem(
      createEvent('event.updated', 't1', { ...event, changedFields: ['status'], previousStatus: 'active' } as any),
    );
    assert.deepEqual(updated, { ...shown, changedFields: ['status'], previousStatus: 'active' });
  });
});
