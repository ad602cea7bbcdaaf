import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Logger, LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadNotificationsConfig } from '../apps/notifications/src/config';
import { notificationsDataSourceOptions } from '../apps/notifications/src/database/notifications-database';
import { EmailDelivery } from '../apps/notifications/src/emails/email-delivery';
import { ResendTransport } from '../apps/notifications/src/emails/email-transport';
import { createEmailTransport } from '../apps/notifications/src/emails/emails.module';
import { EmailsRepository } from '../apps/notifications/src/emails/emails.repository';
import { EmailEntity } from '../apps/notifications/src/emails/entities/email.entity';
import { isolatedEnv } from './support/e2e-env';
import { FakeResend } from './support/fake-resend';

/**
 * The delivery step itself against the real database, for what the shared stack cannot show: log
 * mode (the shared stack runs in resend mode, and a second notifications app would compete for the
 * same events) and a crash between Resend's answer and the row being marked sent. A database of its
 * own: the shared stack's sweeper would otherwise send these queued rows itself.
 */
describe('holder email delivery', () => {
  let dataSource: DataSource;
  let databaseUrl: string;
  const logged: string[] = [];

  beforeAll(async () => {
    databaseUrl = (await isolatedEnv('email_delivery')).DATABASE_URL!;
    dataSource = await new DataSource(notificationsDataSourceOptions(databaseUrl, 2)).initialize();
    const capture: LoggerService = {
      log: (message: unknown) => void logged.push(String(message)),
      warn: () => undefined,
      error: () => undefined,
    };
    Logger.overrideLogger(capture);
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await dataSource.destroy();
  });

  const queuedEmail = (to: string) =>
    dataSource.getRepository(EmailEntity).save({
      tenantId: randomUUID(),
      passId: randomUUID(),
      passCode: 'ABCDEFGHJKMNPQRS',
      eventId: randomUUID(),
      kind: 'pass_issued',
      to,
      subject: 'Your pass: Log test',
      html: '<p>Log test</p>',
      text: 'Log test body',
      provider: 'resend',
      status: 'queued',
    } as EmailEntity);

  it('retries a send whose answer was lost (a crash after Resend accepted it) with the same key: one email', async () => {
    const resend = await new FakeResend('re_test_delivery').start();
    try {
      const transport = new ResendTransport('re_test_delivery', resend.url, 'Passway <passes@passway.local>', 5_000);
      const email = await queuedEmail(`crash-${randomUUID()}@example.test`);
      // The first attempt reached Resend, then the process died before marking the row sent.
      const first = await transport.send(email);
      assert.equal((await dataSource.getRepository(EmailEntity).findOneByOrFail({ id: email.id })).status, 'queued');

      assert.equal(await new EmailDelivery(new EmailsRepository(dataSource), transport).deliver(email.id, false), 'sent');
      assert.equal(resend.received.length, 2);
      assert.deepEqual(
        resend.received.map((request) => request.idempotencyKey),
        [email.id, email.id],
      );
      assert.equal(resend.received.filter((request) => request.accepted).length, 1, 'Resend sent it once');
      const row = await dataSource.getRepository(EmailEntity).findOneByOrFail({ id: email.id });
      assert.equal(row.status, 'sent');
      assert.equal(row.providerMessageId, first.messageId, 'the retry got the first message id back');
    } finally {
      await resend.stop();
    }
  });

  it('refuses a wrong API key as a permanent failure', async () => {
    const resend = await new FakeResend('re_test_right').start();
    try {
      const email = await queuedEmail(`wrong-key-${randomUUID()}@example.test`);
      const transport = new ResendTransport('re_test_wrong', resend.url, 'Passway <passes@passway.local>', 5_000);
      await assert.rejects(new EmailDelivery(new EmailsRepository(dataSource), transport).deliver(email.id, false), /403/);
      const row = await dataSource.getRepository(EmailEntity).findOneByOrFail({ id: email.id });
      assert.equal(row.status, 'failed');
      assert.match(row.lastError ?? '', /invalid_api_key/);
    } finally {
      await resend.stop();
    }
  });

  it('records the email as logged and writes it to the log, once', async () => {
    const config = loadNotificationsConfig({ DATABASE_URL: databaseUrl, RESEND_API_KEY: '' });
    assert.equal(config.EMAIL_PROVIDER, 'log');
    const transport = createEmailTransport(config);
    assert.equal(transport.provider, 'log');
    const delivery = new EmailDelivery(new EmailsRepository(dataSource), transport);
    const to = `log-${randomUUID()}@example.test`;
    const email = await dataSource.getRepository(EmailEntity).save({
      tenantId: randomUUID(),
      passId: randomUUID(),
      passCode: 'ABCDEFGHJKMNPQRS',
      eventId: randomUUID(),
      kind: 'pass_issued',
      to,
      subject: 'Your pass: Log test',
      html: '<p>Log test</p>',
      text: 'Log test body',
      provider: 'log',
      status: 'queued',
    } as EmailEntity);

    assert.equal(await delivery.deliver(email.id, false), 'logged');
    const row = await dataSource.getRepository(EmailEntity).findOneByOrFail({ id: email.id });
    assert.deepEqual(
      { status: row.status, provider: row.provider, attempts: row.attempts, messageId: row.providerMessageId },
      { status: 'logged', provider: 'log', attempts: 1, messageId: null },
    );
    assert.ok(row.sentAt);
    const line = logged.find((message) => message.includes(email.id));
    assert.ok(line?.includes(`To: ${to}`) && line.includes('Subject: Your pass: Log test') && line.includes('Log test body'), line);

    assert.equal(await delivery.deliver(email.id, false), 'already_done', 'a second job for the same email does nothing');
    assert.equal(logged.filter((message) => message.includes(email.id)).length, 1);
  });
});
