import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Logger, LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadNotificationsConfig } from '../apps/notifications/src/config';
import { notificationsDataSourceOptions } from '../apps/notifications/src/database/notifications-database';
import { EmailDelivery } from '../apps/notifications/src/emails/email-delivery';
import { createEmailTransport } from '../apps/notifications/src/emails/emails.module';
import { EmailEntity } from '../apps/notifications/src/emails/entities/email.entity';

/**
 * EMAIL_PROVIDER=log, without a Resend key: the delivery step records the rendered email in the
 * emails table and the log instead of sending. The shared stack runs in resend mode (a second
 * notifications app would compete for the same events), so this drives the delivery step itself
 * against the real database.
 */
describe('holder emails in log mode', () => {
  let dataSource: DataSource;
  const logged: string[] = [];

  before(async () => {
    dataSource = await new DataSource(notificationsDataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
    const capture: LoggerService = {
      log: (message: unknown) => void logged.push(String(message)),
      warn: () => undefined,
      error: () => undefined,
    };
    Logger.overrideLogger(capture);
  });

  after(async () => {
    Logger.overrideLogger(false);
    await dataSource.destroy();
  });

  it('records the email as logged and writes it to the log, once', async () => {
    const config = loadNotificationsConfig({ DATABASE_URL: process.env.DATABASE_URL, RESEND_API_KEY: '' });
    assert.equal(config.EMAIL_PROVIDER, 'log');
    const transport = createEmailTransport(config);
    assert.equal(transport.provider, 'log');
    const delivery = new EmailDelivery(dataSource, transport);
    const to = `log-${randomUUID()}@example.test`;
    const email = await dataSource.getRepository(EmailEntity).save({
      tenantId: randomUUID(), passId: randomUUID(), passCode: 'ABCDEFGHJKMNPQRS', eventId: randomUUID(),
      kind: 'pass_issued', to, subject: 'Your pass: Log test', html: '<p>Log test</p>', text: 'Log test body',
      provider: 'log', status: 'queued',
    } as EmailEntity);

    assert.equal(await delivery.deliver(email.id, false), 'logged');
    const row = await dataSource.getRepository(EmailEntity).findOneByOrFail({ id: email.id });
    assert.deepEqual({ status: row.status, provider: row.provider, attempts: row.attempts, messageId: row.providerMessageId }, { status: 'logged', provider: 'log', attempts: 1, messageId: null });
    assert.ok(row.sentAt);
    const line = logged.find((message) => message.includes(email.id));
    assert.ok(line?.includes(`To: ${to}`) && line.includes('Subject: Your pass: Log test') && line.includes('Log test body'), line);

    assert.equal(await delivery.deliver(email.id, false), 'already_done', 'a second job for the same email does nothing');
    assert.equal(logged.filter((message) => message.includes(email.id)).length, 1);
  });
});
