import { Inject, Injectable, Logger } from '@nestjs/common';
import { holderLinks, PassLinkSigner, PublicPassView, WalletLinks } from '@passway/common';
import Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { GATEWAY_CONFIG, GatewayConfig } from '../../config';
import { RateLimiterService } from '../../rate-limit/rate-limiter.service';
import { REDIS } from '../../redis/redis.module';
import { NotificationsClient, PassesClient } from '../../rpc/service-clients.module';
import { TenantSummary } from '../../tenants/tenants.service';
import { WalletService } from '../../wallet/wallet.service';

/** How long a portal link works; it works once. */
export const PORTAL_LINK_TTL_SECONDS = 15 * 60;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;

export interface PortalPass {
  pass: PublicPassView;
  pageUrl: string;
  links: WalletLinks;
}

/**
 * The holder portal: an email address gets a one-time link (15 minutes) to the list of its passes at
 * one organisation. The link's token is random and kept in Redis only as its SHA-256; opening it
 * deletes it (GETDEL), so it works once. Whether an address has passes is never shown to the asker:
 * the answer is the same page either way, and only an address with passes gets an email.
 */
@Injectable()
export class HolderPortalService {
  private readonly logger = new Logger('HolderPortal');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly rateLimits: RateLimiterService,
    private readonly passes: PassesClient,
    private readonly notifications: NotificationsClient,
    private readonly signer: PassLinkSigner,
    private readonly wallet: WalletService,
  ) {}

  /**
   * Counts the request against the address's hourly budget, then answers; only after that, and not
   * awaited, looks the address up and sends the link when it has passes here. The answer's timing
   * and outcome are therefore the same for every address: a known one costs a lookup and an email
   * that an unknown one does not, and a failure of either is logged, never shown.
   */
  async requestLink(tenant: TenantSummary, rawEmail: string, portalPath: string, requestId?: string): Promise<void> {
    const email = rawEmail.trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email)) return;
    const standing = await this.rateLimits.consume(
      { name: 'holder-portal-email', limit: this.config.PORTAL_PER_EMAIL_PER_HOUR, windowSeconds: 3600 },
      hash(`${tenant.id}:${email}`),
    );
    if (standing && !standing.allowed) return;
    this.sendIfKnown(tenant, email, portalPath, requestId).catch((error: unknown) =>
      this.logger.warn(`portal link not sent: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private async sendIfKnown(tenant: TenantSummary, email: string, portalPath: string, requestId?: string): Promise<void> {
    const passes = await this.passes.call('ListHolderPasses', { tenantId: tenant.id, input: { email } }, requestId);
    if (passes.length === 0) return;
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(linkKey(token), JSON.stringify({ tenantId: tenant.id, email }), 'EX', PORTAL_LINK_TTL_SECONDS);
    const link = `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}${portalPath}/passes?token=${token}`;
    await this.notifications.callWithoutTenant(
      'SendAccountEmail',
      { input: { kind: 'holder_portal', to: email, link, organizationName: tenant.name, requestKey: `holder-portal:${hash(token)}` } },
      requestId,
    );
  }

  /** The passes a link opens, once; null for a forged, used or expired link (or another organisation's). */
  async openLink(tenant: TenantSummary, token: unknown, requestId?: string): Promise<PortalPass[] | null> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const stored = await this.redis.getdel(linkKey(token));
    if (!stored) return null;
    const { tenantId, email } = JSON.parse(stored) as { tenantId: string; email: string };
    if (tenantId !== tenant.id) {
      this.logger.warn('a portal link was opened under another organisation');
      return null;
    }
    const passes = await this.passes.call('ListHolderPasses', { tenantId, input: { email } }, requestId);
    return passes.map((pass) => {
      const pageUrl = this.signer.publicUrl(pass.code);
      return { pass, pageUrl, links: holderLinks(pageUrl, this.wallet.offered, pass.event !== null) };
    });
  }
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');
const linkKey = (token: string) => `holder-portal:link:${hash(token)}`;
