import { Module } from '@nestjs/common';
import { AccountEmailsRpcController } from '../account-emails/account-emails.rpc-controller';
import { AccountEmailsRepository } from '../account-emails/account-emails.repository';
import { AccountEmailsService } from '../account-emails/account-emails.service';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { EmailDelivery } from './email-delivery';
import { EmailQueue } from './email-queue';
import { EmailTransport, LogTransport, ResendTransport } from './email-transport';
import { EmailsRepository } from './emails.repository';
import { EmailsRpcController } from './emails.rpc-controller';
import { EmailsService } from './emails.service';
import { PassEmailConsumer } from './pass-email.consumer';

export function createEmailTransport(config: NotificationsConfig): EmailTransport {
  if (config.EMAIL_PROVIDER === 'log') return new LogTransport();
  return new ResendTransport(config.RESEND_API_KEY!, config.RESEND_BASE_URL, config.EMAIL_FROM, config.EMAIL_SEND_TIMEOUT_MS);
}

@Module({
  controllers: [EmailsRpcController, AccountEmailsRpcController],
  providers: [
    { provide: EmailTransport, inject: [NOTIFICATIONS_CONFIG], useFactory: createEmailTransport },
    EmailsRepository,
    EmailDelivery,
    EmailQueue,
    EmailsService,
    PassEmailConsumer,
    AccountEmailsRepository,
    AccountEmailsService,
  ],
})
export class EmailsModule {}
