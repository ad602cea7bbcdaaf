import { Injectable } from '@nestjs/common';
import { AccountsRepository, SessionRow } from '../accounts/accounts.repository';
import { hashSecret, looksLikeSecret } from '../accounts/one-time-token';
import { KEY_ROLE_OF_MEMBER } from '../team/member-roles';
import type { Principal } from './principal';

export type SessionLookup = { status: 'valid'; session: SessionRow } | { status: 'expired' } | { status: 'unknown' };

/** Resolves the session cookie to its session (user, active organisation, membership). */
@Injectable()
export class SessionAuthenticator {
  constructor(private readonly repository: AccountsRepository) {}

  async lookup(token: string): Promise<SessionLookup> {
    if (!looksLikeSecret(token)) return { status: 'unknown' };
    const session = await this.repository.findSession(hashSecret(token));
    if (!session) return { status: 'unknown' };
    if (session.revokedAt || session.expiresAt.getTime() <= Date.now()) return { status: 'expired' };
    return { status: 'valid', session };
  }
}

/** The principal of a member acting in the session's organisation; null without a membership there. */
export function sessionPrincipal(session: SessionRow): Principal | null {
  const { membership, tenant, user } = session;
  if (!membership || !tenant) return null;
  return {
    keyId: null,
    rateKey: `user:${user.id}`,
    actor: { type: 'user', id: user.id, label: user.email },
    member: { userId: user.id, email: user.email, name: user.name, role: membership.role, sessionId: session.id },
    role: KEY_ROLE_OF_MEMBER[membership.role],
    eventIds: membership.role === 'owner' || membership.role === 'admin' ? null : membership.eventIds,
    tenant: {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      plan: tenant.plan,
      rateLimitPerMinute: tenant.rateLimitPerMinute,
      suspended: tenant.suspendedAt !== null,
    },
  };
}
