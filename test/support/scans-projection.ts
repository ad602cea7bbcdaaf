import { Client } from 'pg';

/**
 * What the scans service's projection holds for a pass, read straight from its table: tests that
 * change a pass and then scan it wait for the change to arrive there first (it travels by Kafka).
 */
export async function projectedAdmission(
  passId: string,
  databaseUrl = process.env.DATABASE_URL!,
): Promise<{ status: string; usages_count: number } | undefined> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT status, usages_count FROM scans.admissions WHERE pass_id = $1', [passId]);
    return rows[0];
  } finally {
    await client.end();
  }
}

/** The scans service's projection of an event (its status), read straight from its table. */
export async function projectedEvent(eventId: string, databaseUrl = process.env.DATABASE_URL!): Promise<{ status: string } | undefined> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT status FROM scans.events WHERE id = $1', [eventId]);
    return rows[0];
  } finally {
    await client.end();
  }
}
