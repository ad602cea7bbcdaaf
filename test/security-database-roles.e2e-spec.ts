import assert from 'node:assert/strict';
import { Client } from 'pg';
import { describe, it, afterAll } from '@jest/globals';
import { SERVICE_SCHEMAS, serviceDatabaseUrl } from '../libs/common/src/database/database-roles';

/** Each app reaches only its own schema: its role may read and write its rows, and nothing else. */
describe('security: one database role per service', () => {
  const clients: Client[] = [];

  const connectAs = async (schema: (typeof SERVICE_SCHEMAS)[number]) => {
    const client = new Client({ connectionString: serviceDatabaseUrl(process.env, schema) });
    await client.connect();
    clients.push(client);
    return client;
  };

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (error: { code?: string }) => error.code,
    );

  afterAll(async () => {
    for (const client of clients) await client.end();
  });

  it('the running apps connect as their own roles, not as the owner', async () => {
    const owner = new Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    clients.push(owner);
    const { rows } = await owner.query(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename LIKE 'passway\\_%'`,
    );
    const users = rows.map((row) => row.usename).sort();
    for (const schema of SERVICE_SCHEMAS)
      assert.ok(users.includes(`passway_${schema}`), `${schema} is connected as passway_${schema} (saw ${users.join(', ')})`);
  });

  it("a service's role reads and writes its own schema, and is refused every other schema and any DDL", async () => {
    const passes = await connectAs('passes');
    assert.equal(await refusal(passes.query('SELECT count(*) FROM passes.passes')), 'allowed');
    assert.equal(await refusal(passes.query('SELECT count(*) FROM passes.outbox')), 'allowed');
    assert.equal(await refusal(passes.query('SELECT * FROM gateway.api_keys LIMIT 1')), '42501', 'no API key hashes');
    assert.equal(await refusal(passes.query('SELECT * FROM webhooks.subscriptions LIMIT 1')), '42501');
    assert.equal(
      await refusal(passes.query('CREATE TABLE passes.sneaky (id int)')),
      '42501',
      'no DDL: only the migration role changes the schema',
    );
    assert.equal(await refusal(passes.query('DROP TABLE passes.outbox')), '42501');

    const gateway = await connectAs('gateway');
    assert.equal(await refusal(gateway.query('SELECT count(*) FROM gateway.api_keys')), 'allowed');
    assert.equal(
      await refusal(gateway.query('SELECT * FROM passes.clients LIMIT 1')),
      '42501',
      'the gateway reads no holder data directly',
    );
    const scans = await connectAs('scans');
    assert.equal(await refusal(scans.query('SELECT * FROM passes.passes LIMIT 1')), '42501');
    assert.equal(await refusal(scans.query('SELECT count(*) FROM scans.scans')), 'allowed');
  });
});
