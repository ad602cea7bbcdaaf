import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter every change to webhooks.subscriptions advances (a statement trigger). The event intake
 * keeps the set of (tenant, event) pairs that have a subscription in memory and reads this counter in
 * each batch's transaction: when it moved, the set is reloaded before any event is skipped.
 */
export class SubscriptionVersion1797000000000 implements MigrationInterface {
  name = 'SubscriptionVersion1797000000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of [
      `CREATE TABLE webhooks.subscription_version (
         id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
         version bigint NOT NULL
       )`,
      `INSERT INTO webhooks.subscription_version (id, version) VALUES (1, 1)`,
      `CREATE FUNCTION webhooks.bump_subscription_version() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN UPDATE webhooks.subscription_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$`,
      `CREATE TRIGGER subscription_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhooks.subscriptions
         FOR EACH STATEMENT EXECUTE FUNCTION webhooks.bump_subscription_version()`,
    ]) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TRIGGER subscription_version_bump ON webhooks.subscriptions');
    await runner.query('DROP FUNCTION webhooks.bump_subscription_version()');
    await runner.query('DROP TABLE webhooks.subscription_version');
  }
}
