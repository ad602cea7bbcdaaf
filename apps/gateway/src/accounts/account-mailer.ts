import { Inject, Injectable } from '@nestjs/common';
import { AccountEmailKind } from '@passway/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { NotificationsClient } from '../rpc/service-clients.module';

export interface AccountEmail {
  kind: AccountEmailKind;
  to: string;
  /** Path under the console, e.g. `/verify-email?token=…`. */
  consolePath: string;
  /** Idempotency key of the command (the token's hash): a retried request queues one email. */
  requestKey: string;
  name?: string;
  organizationName?: string;
  role?: string;
  invitedBy?: string;
}

/**
 * Account emails go out through the notifications service (Resend). The command returns once the
 * email is recorded there, so a caller that commits after it never promises an email that was lost.
 */
@Injectable()
export class AccountMailer {
  constructor(
    private readonly notifications: NotificationsClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async send(email: AccountEmail, requestId?: string): Promise<void> {
    const { consolePath, ...rest } = email;
    const link = `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/app${consolePath}`;
    await this.notifications.callWithoutTenant('SendAccountEmail', { input: { ...rest, link } }, requestId);
  }
}
