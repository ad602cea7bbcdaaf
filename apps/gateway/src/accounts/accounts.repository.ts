import { Injectable } from '@nestjs/common';
import { DatabaseRepository } from '@passway/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Plan } from '../tenants/entities/tenant.entity';
import type { MemberRole } from '../team/member-roles';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  emailVerifiedAt: Date | null;
  isOperator: boolean;
  createdAt: Date;
}

export interface MembershipRow {
  id: string;
  tenantId: string;
  userId: string;
  role: MemberRole;
  eventIds: string[] | null;
  createdAt: Date;
}

/** A session with everything a request needs: the user, the active organisation and the membership in it. */
export interface SessionRow {
  id: string;
  userId: string;
  tenantId: string | null;
  csrfToken: string;
  expiresAt: Date;
  revokedAt: Date | null;
  user: UserRow;
  membership: MembershipRow | null;
  tenant: { id: string; name: string; slug: string; plan: Plan; rateLimitPerMinute: number | null; suspendedAt: Date | null } | null;
}

export type TokenPurpose = 'verify_email' | 'reset_password';

const USER_COLUMNS = `u.id, u.email, u.name, u.password_hash AS "passwordHash", u.email_verified_at AS "emailVerifiedAt",
  u.is_operator AS "isOperator", u.created_at AS "createdAt"`;

/** The queries behind users, sessions and one-time tokens (gateway schema). */
@Injectable()
export class AccountsRepository extends DatabaseRepository {
  private db(manager?: EntityManager): DataSource | EntityManager {
    return manager ?? this.dataSource;
  }

  async findUserByEmail(email: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM gateway.users u WHERE u.email = $1`, [email]);
    return rows[0] ?? null;
  }

  async findUser(id: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM gateway.users u WHERE u.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** null when the email is taken. */
  async insertUser(
    manager: EntityManager,
    input: { email: string; name: string; passwordHash: string; verified: boolean },
  ): Promise<UserRow | null> {
    const rows: UserRow[] = await manager.query(
      `INSERT INTO gateway.users AS u (email, name, password_hash, email_verified_at)
       VALUES ($1, $2, $3, CASE WHEN $4::boolean THEN now() END)
       ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLUMNS}`,
      [input.email, input.name, input.passwordHash, input.verified],
    );
    return rows[0] ?? null;
  }

  async setPassword(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await manager.query(`UPDATE gateway.users SET password_hash = $2, updated_at = now() WHERE id = $1`, [userId, passwordHash]);
  }

  async markVerified(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE gateway.users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1`,
      [userId],
    );
  }

  /** null when no user has that email. */
  async setOperator(email: string, isOperator: boolean): Promise<UserRow | null> {
    // An UPDATE answers [rows, affected count] through TypeORM's query().
    const [rows]: [UserRow[], number] = await this.dataSource.query(
      `UPDATE gateway.users u SET is_operator = $2, updated_at = now() WHERE email = $1 RETURNING ${USER_COLUMNS}`,
      [email, isOperator],
    );
    return rows[0] ?? null;
  }

  async membershipsOf(userId: string): Promise<(MembershipRow & { tenantName: string; tenantSlug: string })[]> {
    return this.dataSource.query(
      `SELECT m.id, m.tenant_id AS "tenantId", m.user_id AS "userId", m.role, m.event_ids AS "eventIds", m.created_at AS "createdAt",
              t.name AS "tenantName", t.slug AS "tenantSlug"
         FROM gateway.memberships m JOIN gateway.tenants t ON t.id = m.tenant_id
        WHERE m.user_id = $1 ORDER BY m.created_at`,
      [userId],
    );
  }

  async insertMembership(
    manager: EntityManager,
    input: { tenantId: string; userId: string; role: MemberRole; eventIds: string[] | null },
  ): Promise<MembershipRow | null> {
    const rows: MembershipRow[] = await manager.query(
      `INSERT INTO gateway.memberships (tenant_id, user_id, role, event_ids) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, user_id) DO NOTHING
       RETURNING id, tenant_id AS "tenantId", user_id AS "userId", role, event_ids AS "eventIds", created_at AS "createdAt"`,
      [input.tenantId, input.userId, input.role, input.eventIds],
    );
    return rows[0] ?? null;
  }

  async insertSession(
    manager: EntityManager | undefined,
    input: {
      tokenHash: Buffer;
      userId: string;
      tenantId: string | null;
      csrfToken: string;
      expiresAt: Date;
      ip?: string;
      userAgent?: string;
    },
  ): Promise<string> {
    const rows: { id: string }[] = await this.db(manager).query(
      `INSERT INTO gateway.sessions (token_hash, user_id, tenant_id, csrf_token, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        input.tokenHash,
        input.userId,
        input.tenantId,
        input.csrfToken,
        input.expiresAt,
        input.ip ?? null,
        input.userAgent?.slice(0, 300) ?? null,
      ],
    );
    return rows[0].id;
  }

  findSession(tokenHash: Buffer): Promise<SessionRow | null> {
    return this.selectSession('s.token_hash = $1', tokenHash);
  }

  findSessionById(id: string): Promise<SessionRow | null> {
    return this.selectSession('s.id = $1', id);
  }

  private async selectSession(condition: string, value: unknown): Promise<SessionRow | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT s.id, s.user_id AS "userId", s.tenant_id AS "tenantId", s.csrf_token AS "csrfToken", s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt",
              ${USER_COLUMNS},
              m.id AS "membershipId", m.role AS "memberRole", m.event_ids AS "memberEventIds", m.created_at AS "memberCreatedAt",
              t.name AS "tenantName", t.slug AS "tenantSlug", t.plan AS "tenantPlan", t.rate_limit_per_minute AS "tenantRateLimit", t.suspended_at AS "tenantSuspendedAt"
         FROM gateway.sessions s
         JOIN gateway.users u ON u.id = s.user_id
         LEFT JOIN gateway.memberships m ON m.user_id = s.user_id AND m.tenant_id = s.tenant_id
         LEFT JOIN gateway.tenants t ON t.id = s.tenant_id
        WHERE ${condition}`,
      [value],
    );
    const row = rows[0];
    if (!row) return null;
    const tenantId = row.tenantId as string | null;
    return {
      id: row.id as string,
      userId: row.userId as string,
      tenantId,
      csrfToken: row.csrfToken as string,
      expiresAt: row.expiresAt as Date,
      revokedAt: row.revokedAt as Date | null,
      user: {
        id: row.userId as string,
        email: row.email as string,
        name: row.name as string,
        passwordHash: row.passwordHash as string,
        emailVerifiedAt: row.emailVerifiedAt as Date | null,
        isOperator: row.isOperator as boolean,
        createdAt: row.createdAt as Date,
      },
      membership:
        row.membershipId && tenantId
          ? {
              id: row.membershipId as string,
              tenantId,
              userId: row.userId as string,
              role: row.memberRole as MemberRole,
              eventIds: row.memberEventIds as string[] | null,
              createdAt: row.memberCreatedAt as Date,
            }
          : null,
      tenant:
        tenantId && row.tenantName
          ? {
              id: tenantId,
              name: row.tenantName as string,
              slug: row.tenantSlug as string,
              plan: row.tenantPlan as Plan,
              rateLimitPerMinute: row.tenantRateLimit as number | null,
              suspendedAt: row.tenantSuspendedAt as Date | null,
            }
          : null,
    };
  }

  async revokeSession(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE gateway.sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  }

  async revokeSessionsOf(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE gateway.sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }

  async switchSessionTenant(id: string, tenantId: string): Promise<void> {
    await this.dataSource.query(`UPDATE gateway.sessions SET tenant_id = $2 WHERE id = $1`, [id, tenantId]);
  }

  async insertToken(
    manager: EntityManager,
    input: { tokenHash: Buffer; userId: string; purpose: TokenPurpose; expiresAt: Date },
  ): Promise<void> {
    await manager.query(`INSERT INTO gateway.user_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)`, [
      input.tokenHash,
      input.userId,
      input.purpose,
      input.expiresAt,
    ]);
  }

  /** Marks a one-time token used and returns its user; 'used' or 'expired' or null (unknown) otherwise. */
  async consumeToken(
    manager: EntityManager,
    tokenHash: Buffer,
    purpose: TokenPurpose,
  ): Promise<{ userId: string } | 'used' | 'expired' | null> {
    const rows: { userId: string; usedAt: Date | null; expired: boolean }[] = await manager.query(
      `SELECT user_id AS "userId", used_at AS "usedAt", expires_at < now() AS expired
         FROM gateway.user_tokens WHERE token_hash = $1 AND purpose = $2 FOR UPDATE`,
      [tokenHash, purpose],
    );
    const token = rows[0];
    if (!token) return null;
    if (token.usedAt) return 'used';
    if (token.expired) return 'expired';
    await manager.query(`UPDATE gateway.user_tokens SET used_at = now() WHERE token_hash = $1`, [tokenHash]);
    return { userId: token.userId };
  }
}
