import { Injectable } from '@nestjs/common';
import { DatabaseRepository } from '@passway/common';
import { EntityManager } from 'typeorm';
import type { MemberRole } from './member-roles';

export interface MemberRow {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: MemberRole;
  eventIds: string[] | null;
  createdAt: Date;
}

export interface InvitationRow {
  id: string;
  tenantId: string;
  tenantName: string;
  email: string;
  role: MemberRole;
  eventIds: string[] | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const MEMBER_COLUMNS = `m.id, m.user_id AS "userId", u.name, u.email, m.role, m.event_ids AS "eventIds", m.created_at AS "createdAt"`;
const INVITATION_COLUMNS = `i.id, i.tenant_id AS "tenantId", t.name AS "tenantName", i.email, i.role, i.event_ids AS "eventIds", i.expires_at AS "expiresAt",
  i.accepted_at AS "acceptedAt", i.revoked_at AS "revokedAt", i.created_at AS "createdAt"`;

/** The queries behind memberships and invitations. */
@Injectable()
export class TeamRepository extends DatabaseRepository {
  members(tenantId: string): Promise<MemberRow[]> {
    return this.dataSource.query(
      `SELECT ${MEMBER_COLUMNS} FROM gateway.memberships m JOIN gateway.users u ON u.id = m.user_id WHERE m.tenant_id = $1 ORDER BY m.created_at`,
      [tenantId],
    );
  }

  /** The member, locked for the rest of the transaction, with the tenant's owners locked too (the last-owner rule). */
  async lockMember(manager: EntityManager, tenantId: string, memberId: string): Promise<{ member: MemberRow | null; owners: number }> {
    const owners: { id: string }[] = await manager.query(
      `SELECT id FROM gateway.memberships WHERE tenant_id = $1 AND role = 'owner' ORDER BY id FOR UPDATE`,
      [tenantId],
    );
    const rows: MemberRow[] = await manager.query(
      `SELECT ${MEMBER_COLUMNS} FROM gateway.memberships m JOIN gateway.users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND m.id = $2 FOR UPDATE OF m`,
      [tenantId, memberId],
    );
    return { member: rows[0] ?? null, owners: owners.length };
  }

  async updateMember(manager: EntityManager, memberId: string, role: MemberRole, eventIds: string[] | null): Promise<void> {
    await manager.query(`UPDATE gateway.memberships SET role = $2, event_ids = $3, updated_at = now() WHERE id = $1`, [
      memberId,
      role,
      eventIds,
    ]);
  }

  async deleteMember(manager: EntityManager, memberId: string): Promise<void> {
    await manager.query(`DELETE FROM gateway.memberships WHERE id = $1`, [memberId]);
  }

  async member(tenantId: string, memberId: string): Promise<MemberRow | null> {
    const rows: MemberRow[] = await this.dataSource.query(
      `SELECT ${MEMBER_COLUMNS} FROM gateway.memberships m JOIN gateway.users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND m.id = $2`,
      [tenantId, memberId],
    );
    return rows[0] ?? null;
  }

  invitations(tenantId: string): Promise<InvitationRow[]> {
    return this.dataSource.query(
      `SELECT ${INVITATION_COLUMNS} FROM gateway.invitations i JOIN gateway.tenants t ON t.id = i.tenant_id
        WHERE i.tenant_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.created_at DESC`,
      [tenantId],
    );
  }

  async insertInvitation(
    manager: EntityManager,
    input: {
      tenantId: string;
      email: string;
      role: MemberRole;
      eventIds: string[] | null;
      tokenHash: Buffer;
      invitedBy: string | null;
      expiresAt: Date;
    },
  ): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO gateway.invitations (tenant_id, email, role, event_ids, token_hash, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [input.tenantId, input.email, input.role, input.eventIds, input.tokenHash, input.invitedBy, input.expiresAt],
    );
    return rows[0].id;
  }

  async invitation(tenantId: string, id: string): Promise<InvitationRow | null> {
    const rows: InvitationRow[] = await this.dataSource.query(
      `SELECT ${INVITATION_COLUMNS} FROM gateway.invitations i JOIN gateway.tenants t ON t.id = i.tenant_id WHERE i.tenant_id = $1 AND i.id = $2`,
      [tenantId, id],
    );
    return rows[0] ?? null;
  }

  async invitationByToken(tokenHash: Buffer, manager?: EntityManager): Promise<InvitationRow | null> {
    const rows: InvitationRow[] = await (manager ?? this.dataSource).query(
      `SELECT ${INVITATION_COLUMNS} FROM gateway.invitations i JOIN gateway.tenants t ON t.id = i.tenant_id WHERE i.token_hash = $1
       ${manager ? 'FOR UPDATE OF i' : ''}`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async revokeInvitation(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE gateway.invitations SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL AND accepted_at IS NULL`,
      [id],
    );
  }

  async markInvitationAccepted(manager: EntityManager, id: string, userId: string): Promise<void> {
    await manager.query(`UPDATE gateway.invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [id, userId]);
  }
}
