import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AdmissionsRepository } from '../apps/scans/src/admissions/admissions.repository';
import { scansDataSourceOptions } from '../apps/scans/src/database/scans-database';
import { PassView } from '../libs/common/src/contracts/passes/pass.view';
import { projectedAdmission } from './support/scans-projection';

/** The projection's rules against the real table: redelivered, reordered and stale pass events. */
describe('scans admissions projection', () => {
  let dataSource: DataSource;
  let admissions: AdmissionsRepository;

  beforeAll(async () => {
    dataSource = await new DataSource(scansDataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    admissions = new AdmissionsRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const view = (overrides: Partial<PassView>): PassView => ({
    id: randomUUID(),
    tenantId: randomUUID(),
    code: `P${randomUUID().replace(/-/g, '').slice(0, 15).toUpperCase()}`,
    name: 'P',
    note: null,
    type: 'single',
    status: 'active',
    usagesCount: 0,
    maxUsages: null,
    validFrom: null,
    validUntil: null,
    fields: [],
    client: null,
    templateId: null,
    locationId: null,
    eventId: null,
    publicUrl: 'http://x',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });

  it('takes a new pass written by several writers at once (a read-through racing the consumer) without a unique-key error', async () => {
    const racing = await new DataSource(scansDataSourceOptions(process.env.DATABASE_URL!, 8)).initialize();
    try {
      const writers = new AdmissionsRepository(racing);
      for (let round = 0; round < 5; round++) {
        const created = view({ type: 'multi' });
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => writers.apply(created)));
        const failures = results.filter((result) => result.status === 'rejected').map((result) => String(result.reason));
        assert.deepEqual(failures, []);
        assert.equal((await admissions.findById(created.tenantId, created.id))?.code, created.code);
      }
    } finally {
      await racing.destroy();
    }
  });

  it('ignores an event older than what the row reflects, and applies a redelivered one harmlessly', async () => {
    const created = view({});
    const revoked = { ...created, status: 'revoked' as const, updatedAt: '2026-01-02T00:00:00.000Z' };
    assert.equal(await admissions.apply(revoked), true);
    assert.equal(await admissions.apply(created), false, 'pass.created arriving after the revocation');
    assert.equal((await projectedAdmission(created.id))?.status, 'revoked');
    assert.equal(await admissions.apply(revoked), true, 'a redelivery of the latest event');
    assert.equal((await projectedAdmission(created.id))?.status, 'revoked');
  });

  it("never lowers the live counter, and a stale 'active' does not undo a redemption's 'used'", async () => {
    const created = view({});
    await admissions.apply(created);
    // A redemption here (as REDEEM_SQL does it: the count and its version go up together).
    await dataSource.query(`UPDATE scans.admissions SET usages_count = 1, tally_version = 1, status = 'used' WHERE pass_id = $1`, [
      created.id,
    ]);
    // A rename published before the passes service had counted the scan.
    await admissions.apply({ ...created, name: 'Renamed', updatedAt: '2026-01-02T00:00:00.000Z' });
    assert.deepEqual(await projectedAdmission(created.id), { status: 'used', usages_count: 1 });
    // Reactivated after the passes service counted it: the passes service now knows everything we do.
    await admissions.apply({ ...created, status: 'active', usagesCount: 1, updatedAt: '2026-01-03T00:00:00.000Z' });
    assert.deepEqual(await projectedAdmission(created.id), { status: 'active', usages_count: 1 });
  });

  it('keeps the higher counter of a multi pass and takes the new rules', async () => {
    const created = view({ type: 'multi', maxUsages: 5 });
    await admissions.apply(created);
    await dataSource.query(`UPDATE scans.admissions SET usages_count = 4, tally_version = 4 WHERE pass_id = $1`, [created.id]);
    await admissions.apply({ ...created, maxUsages: 10, usagesCount: 2, updatedAt: '2026-01-02T00:00:00.000Z' });
    const [row] = await dataSource.query('SELECT usages_count, max_usages FROM scans.admissions WHERE pass_id = $1', [created.id]);
    assert.deepEqual(row, { usages_count: 4, max_usages: 10 });
  });

  it('after an undo, an older copy of the counter brings neither the count nor `used` back; a newer one applies', async () => {
    const created = view({});
    await admissions.apply(created);
    // Redeemed (version 1), then undone here (version 2: count 0, active again).
    await dataSource.query(`UPDATE scans.admissions SET usages_count = 0, tally_version = 2, status = 'active' WHERE pass_id = $1`, [
      created.id,
    ]);
    // The passes service's pass.status_changed for the redemption, published before it saw the undo.
    await admissions.apply({ ...created, status: 'used', usagesCount: 1, tallyVersion: 1, updatedAt: '2026-01-02T00:00:00.000Z' });
    assert.deepEqual(await projectedAdmission(created.id), { status: 'active', usages_count: 0 });
    // A revocation always applies, and once the passes service has seen the undo its view is authoritative.
    await admissions.apply({ ...created, status: 'revoked', usagesCount: 0, tallyVersion: 2, updatedAt: '2026-01-03T00:00:00.000Z' });
    assert.deepEqual(await projectedAdmission(created.id), { status: 'revoked', usages_count: 0 });
    // A projection behind the passes service (a newer version) takes its count.
    await admissions.apply({ ...created, status: 'active', usagesCount: 3, tallyVersion: 5, updatedAt: '2026-01-04T00:00:00.000Z' });
    assert.deepEqual(await projectedAdmission(created.id), { status: 'active', usages_count: 3 });
  });
});
