import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * subscription_version moves only when the set of active (tenant, event) pairs can change: a row
 * inserted or deleted, or its active, deleted_at, event or tenant changed. The statement trigger it
 * replaces fired on every UPDATE, even of no row, so each delivery's failing_since reset took the
 * counter's one row lock (serialising the delivery workers, and deadlocking with a webhook's
 * deletion) and made the intake reload its subscription set after every delivery.
 */
export class SubscriptionVersionOnChange1797100000000 implements MigrationInterface {
  name = 'SubscriptionVersionOnChange1797100000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of [
      'DROP TRIGGER subscription_version_bump ON webhooks.subscriptions',
      `CREATE TRIGGER subscription_version_bump_rows AFTER INSERT OR DELETE ON webhooks.subscriptions
         FOR EACH ROW EXECUTE FUNCTION webhooks.bump_subscription_version()`,
      `CREATE TRIGGER subscription_version_bump_changes AFTER UPDATE ON webhooks.subscriptions
         FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
                            OR OLD.event IS DISTINCT FROM NEW.event OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
         EXECUTE FUNCTION webhooks.bump_subscription_version()`,
      `CREATE TRIGGER subscription_version_bump_truncate AFTER TRUNCATE ON webhooks.subscriptions
         FOR EACH STATEMENT EXECUTE FUNCTION webhooks.bump_subscription_version()`,
    ]) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const trigger of ['subscription_version_bump_rows', 'subscription_version_bump_changes', 'subscription_version_bump_truncate'])
      await runner.query(`DROP TRIGGER ${trigger} ON webhooks.subscriptions`);
    await runner.query(
      `CREATE TRIGGER subscription_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhooks.subscriptions
         FOR EACH STATEMENT EXECUTE FUNCTION webhooks.bump_subscription_version()`,
    );
  }
}
