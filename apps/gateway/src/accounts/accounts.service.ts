import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { forbidden, notFound } from '@passway/common';
import { EntityManager } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { TenantsService } from '../tenants/tenants.service';
import { AccountMailer } from './account-mailer';
import { AccountsRepository, SessionRow, TokenPurpose, UserRow } from './accounts.repository';
import { SessionDto, SignUpDto } from './dto/account.dto';
import { hashSecret, newSecret } from './one-time-token';
import { PasswordHasher } from './password-hasher';
import { gone } from '../http/gone';

export interface RequestContext {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export interface StartedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  sessionId: string;
}

const VERIFY_EMAIL_TTL_MS = 24 * 3600_000;
const RESET_PASSWORD_TTL_MS = 3600_000;
const INVALID_CREDENTIALS = { error: 'Invalid email or password', code: 'invalid_credentials' };
const TOO_MANY_ATTEMPTS = { error: 'Too many sign-in attempts; try again later', code: 'login_rate_limited' };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function linkError(status: 'used' | 'expired' | null, what: string): HttpException {
  if (status === 'used') return gone(`This ${what} link was already used`, 'token_used');
  if (status === 'expired') return gone(`This ${what} link has expired`, 'token_expired');
  return new HttpException({ error: `This ${what} link is not valid`, code: 'token_invalid' }, HttpStatus.BAD_REQUEST);
}

/**
 * Accounts and sessions: sign-up (user + organisation + owner membership, one transaction, the
 * verification email recorded by notifications before commit), email verification, sign-in with
 * per-IP and per-account limits and one answer for every failure, password reset, sign-out.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly repository: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly tenants: TenantsService,
    private readonly mailer: AccountMailer,
    private readonly rateLimits: RateLimiterService,
    private readonly audit: AuditLogService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Always the same answer, so sign-up reveals nothing about which emails have accounts: a new
   * email gets a verification link, a known one gets a password-reset link instead.
   */
  async signUp(input: SignUpDto, context: RequestContext): Promise<void> {
    const email = normalizeEmail(input.email);
    const existing = await this.repository.findUserByEmail(email);
    if (existing) {
      await this.sendPasswordReset(existing, context);
      return;
    }
    const passwordHash = await this.passwords.hash(input.password);
    const name = input.name.trim();
    await this.repository.transaction(async (manager) => {
      const user = await this.repository.insertUser(manager, { email, name, passwordHash, verified: false });
      if (!user) return; // signed up a moment ago by a concurrent request: the same answer
      const organization = await this.tenants.create({ name: input.organizationName?.trim() || `${name}'s organisation` }, manager);
      await this.repository.insertMembership(manager, { tenantId: organization.id, userId: user.id, role: 'owner', eventIds: null });
      await this.audit.record(
        {
          tenantId: organization.id,
          actor: { type: 'user', id: user.id, label: email },
          action: 'organization.create',
          resourceType: 'organization',
          resourceId: organization.id,
          ip: context.ip,
          requestId: context.requestId,
        },
        manager,
      );
      const token = await this.issueToken(manager, user.id, 'verify_email', VERIFY_EMAIL_TTL_MS);
      await this.mailer.send(
        {
          kind: 'verify_email',
          to: email,
          consolePath: `/verify-email?token=${token}`,
          requestKey: hashSecret(token).toString('hex'),
          name,
          organizationName: organization.name,
        },
        context.requestId,
      );
    });
  }

  async resendVerification(emailInput: string, context: RequestContext): Promise<void> {
    const user = await this.repository.findUserByEmail(normalizeEmail(emailInput));
    if (!user || user.emailVerifiedAt) return;
    const token = await this.repository.transaction((manager) => this.issueToken(manager, user.id, 'verify_email', VERIFY_EMAIL_TTL_MS));
    await this.mailer.send(
      {
        kind: 'verify_email',
        to: user.email,
        consolePath: `/verify-email?token=${token}`,
        requestKey: hashSecret(token).toString('hex'),
        name: user.name,
      },
      context.requestId,
    );
  }

  /** Confirms the address and signs the user in. */
  async verifyEmail(token: string, context: RequestContext): Promise<StartedSession> {
    const userId = await this.repository.transaction(async (manager) => {
      const consumed = await this.repository.consumeToken(manager, hashSecret(token), 'verify_email');
      if (consumed === null || consumed === 'used' || consumed === 'expired') throw linkError(consumed, 'verification');
      await this.repository.markVerified(manager, consumed.userId);
      return consumed.userId;
    });
    const user = await this.repository.findUser(userId);
    return this.startSession(user!, context, 'verify_email');
  }

  async login(emailInput: string, password: string, context: RequestContext): Promise<StartedSession> {
    const email = normalizeEmail(emailInput);
    const ip = context.ip ?? 'unknown';
    const perIp = { name: 'login-ip', limit: this.config.LOGIN_ATTEMPTS_PER_IP_PER_MINUTE, windowSeconds: 60 };
    const perAccount = {
      name: 'login-account',
      limit: this.config.LOGIN_FAILURES_PER_ACCOUNT,
      windowSeconds: this.config.LOGIN_LOCKOUT_MINUTES * 60,
    };
    const ipStanding = await this.rateLimits.consume(perIp, ip);
    if (ipStanding && !ipStanding.allowed) throw new HttpException(TOO_MANY_ATTEMPTS, HttpStatus.TOO_MANY_REQUESTS);
    // Counted by email whether or not it has an account, so a lockout says nothing about existence.
    const accountStanding = await this.rateLimits.peek(perAccount, email);
    if (accountStanding && !accountStanding.allowed) throw new HttpException(TOO_MANY_ATTEMPTS, HttpStatus.TOO_MANY_REQUESTS);

    const user = await this.repository.findUserByEmail(email);
    const valid = await this.passwords.verify(user?.passwordHash ?? null, password);
    if (!user || !valid) {
      await this.rateLimits.consume(perAccount, email);
      for (const membership of user ? await this.repository.membershipsOf(user.id) : []) {
        await this.audit.recordAfter({
          tenantId: membership.tenantId,
          actor: { type: 'user', id: user!.id, label: user!.email },
          action: 'session.sign_in_failed',
          resourceType: 'session',
          ip: context.ip,
          requestId: context.requestId,
        });
      }
      throw new HttpException(INVALID_CREDENTIALS, HttpStatus.UNAUTHORIZED);
    }
    if (!user.emailVerifiedAt) {
      throw new HttpException(
        { error: 'Confirm your email address first: we sent you a link', code: 'email_not_verified' },
        HttpStatus.FORBIDDEN,
      );
    }
    return this.startSession(user, context, 'password');
  }

  async logout(session: SessionRow | { id: string; tenantId: string | null; user: UserRow }, context: RequestContext): Promise<void> {
    await this.repository.revokeSession(session.id);
    if (session.tenantId) {
      await this.audit.recordAfter({
        tenantId: session.tenantId,
        actor: { type: 'user', id: session.user.id, label: session.user.email },
        action: 'session.sign_out',
        resourceType: 'session',
        resourceId: session.id,
        ip: context.ip,
        requestId: context.requestId,
      });
    }
  }

  /** Always the same answer; an email goes out only when the address has an account. */
  async requestPasswordReset(emailInput: string, context: RequestContext): Promise<void> {
    const user = await this.repository.findUserByEmail(normalizeEmail(emailInput));
    if (user) await this.sendPasswordReset(user, context);
  }

  /** Sets the new password, confirms the address (the link proved it) and ends every session of the user. */
  async resetPassword(token: string, password: string, context: RequestContext): Promise<void> {
    const passwordHash = await this.passwords.hash(password);
    const userId = await this.repository.transaction(async (manager) => {
      const consumed = await this.repository.consumeToken(manager, hashSecret(token), 'reset_password');
      if (consumed === null || consumed === 'used' || consumed === 'expired') throw linkError(consumed, 'password reset');
      await this.repository.setPassword(manager, consumed.userId, passwordHash);
      await this.repository.markVerified(manager, consumed.userId);
      await this.repository.revokeSessionsOf(manager, consumed.userId);
      return consumed.userId;
    });
    for (const membership of await this.repository.membershipsOf(userId)) {
      await this.audit.recordAfter({
        tenantId: membership.tenantId,
        actor: { type: 'user', id: userId, label: null },
        action: 'user.password_reset',
        resourceType: 'user',
        resourceId: userId,
        ip: context.ip,
        requestId: context.requestId,
      });
    }
  }

  async switchOrganization(session: SessionRow, organizationId: string): Promise<void> {
    const memberships = await this.repository.membershipsOf(session.userId);
    if (!memberships.some((membership) => membership.tenantId === organizationId) && !session.user.isOperator)
      throw notFound('Organization');
    if (session.user.isOperator && !memberships.some((membership) => membership.tenantId === organizationId)) {
      throw forbidden('Operators act on other organisations through /api/v1/operator', 'not_a_member');
    }
    await this.repository.switchSessionTenant(session.id, organizationId);
  }

  async describe(session: SessionRow): Promise<SessionDto> {
    const memberships = await this.repository.membershipsOf(session.userId);
    return {
      user: { id: session.user.id, email: session.user.email, name: session.user.name, isOperator: session.user.isOperator },
      organization: session.tenant
        ? {
            id: session.tenant.id,
            name: session.tenant.name,
            slug: session.tenant.slug,
            plan: session.tenant.plan,
            suspended: session.tenant.suspendedAt !== null,
          }
        : null,
      role: session.membership?.role ?? null,
      eventIds: session.membership?.eventIds ?? null,
      memberships: memberships.map((membership) => ({
        organizationId: membership.tenantId,
        organizationName: membership.tenantName,
        role: membership.role,
      })),
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  /** A new session in the user's first organisation (their own, for a new owner). */
  async startSession(user: UserRow, context: RequestContext, method: string, tenantId?: string): Promise<StartedSession> {
    const memberships = await this.repository.membershipsOf(user.id);
    const activeTenant = tenantId ?? memberships[0]?.tenantId ?? null;
    const token = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    const sessionId = await this.repository.insertSession(undefined, {
      tokenHash: hashSecret(token),
      userId: user.id,
      tenantId: activeTenant,
      csrfToken,
      expiresAt,
      ip: context.ip,
      userAgent: context.userAgent,
    });
    if (activeTenant) {
      await this.audit.recordAfter({
        tenantId: activeTenant,
        actor: { type: 'user', id: user.id, label: user.email },
        action: 'session.sign_in',
        resourceType: 'session',
        resourceId: sessionId,
        ip: context.ip,
        requestId: context.requestId,
        details: { method },
      });
    }
    return { token, csrfToken, expiresAt, sessionId };
  }

  private async sendPasswordReset(user: UserRow, context: RequestContext): Promise<void> {
    const token = await this.repository.transaction((manager) =>
      this.issueToken(manager, user.id, 'reset_password', RESET_PASSWORD_TTL_MS),
    );
    await this.mailer.send(
      {
        kind: 'reset_password',
        to: user.email,
        consolePath: `/reset-password?token=${token}`,
        requestKey: hashSecret(token).toString('hex'),
        name: user.name,
      },
      context.requestId,
    );
  }

  private async issueToken(manager: EntityManager, userId: string, purpose: TokenPurpose, ttlMs: number): Promise<string> {
    const token = newSecret();
    await this.repository.insertToken(manager, { tokenHash: hashSecret(token), userId, purpose, expiresAt: new Date(Date.now() + ttlMs) });
    return token;
  }
}
