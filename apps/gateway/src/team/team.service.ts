import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { conflict, forbidden, invalidArgument, isUuid, notFound } from '@passway/common';
import { AccountMailer } from '../accounts/account-mailer';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService, normalizeEmail, RequestContext, StartedSession } from '../accounts/accounts.service';
import { hashSecret, newSecret } from '../accounts/one-time-token';
import { PasswordHasher } from '../accounts/password-hasher';
import type { Principal } from '../auth/principal';
import { AcceptInvitationDto, CreateInvitationDto, InvitationDto, InvitationPreviewDto, MemberDto, UpdateMemberDto } from './dto/team.dto';
import { isEventScopedRole, MemberRole } from './member-roles';
import { InvitationRow, MemberRow, TeamRepository } from './team.repository';
import { gone } from '../http/gone';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const ROLE_NAMES: Record<MemberRole, string> = { owner: 'owner', admin: 'admin', event_manager: 'event manager', door_staff: 'door staff' };

/**
 * Teams: members with a role, invitations by email (7 days, once), role changes and removal.
 * Only an owner grants, changes or removes the owner role; the last owner can neither leave nor be demoted.
 */
@Injectable()
export class TeamService {
  constructor(
    private readonly repository: TeamRepository,
    private readonly accounts: AccountsRepository,
    private readonly accountsService: AccountsService,
    private readonly passwords: PasswordHasher,
    private readonly mailer: AccountMailer,
  ) {}

  async members(tenantId: string): Promise<MemberDto[]> {
    return (await this.repository.members(tenantId)).map(toMemberDto);
  }

  async invitations(tenantId: string): Promise<InvitationDto[]> {
    return (await this.repository.invitations(tenantId)).map(toInvitationDto);
  }

  async invite(principal: Principal, input: CreateInvitationDto, context: RequestContext): Promise<InvitationDto> {
    const eventIds = scopeOf(input.role, input.events);
    if (input.role === 'owner') this.requireOwner(principal, 'Only an owner may invite another owner');
    const email = normalizeEmail(input.email);
    const members = await this.repository.members(principal.tenant.id);
    if (members.some((member) => member.email === email)) throw conflict(`${email} is already a member`, 'already_member');
    const token = newSecret();
    const id = await this.repository.transaction(async (manager) => {
      const invitationId = await this.repository.insertInvitation(manager, {
        tenantId: principal.tenant.id,
        email,
        role: input.role,
        eventIds,
        tokenHash: hashSecret(token),
        invitedBy: principal.member?.userId ?? null,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      await this.mailer.send(
        {
          kind: 'invitation',
          to: email,
          consolePath: `/invite?token=${token}`,
          requestKey: hashSecret(token).toString('hex'),
          organizationName: principal.tenant.name,
          role: ROLE_NAMES[input.role],
          invitedBy: principal.member?.name ?? principal.tenant.name,
        },
        context.requestId,
      );
      return invitationId;
    });
    return toInvitationDto((await this.repository.invitation(principal.tenant.id, id))!);
  }

  async revokeInvitation(principal: Principal, id: string): Promise<void> {
    const invitation = isUuid(id) ? await this.repository.invitation(principal.tenant.id, id) : null;
    if (!invitation) throw notFound('Invitation');
    if (invitation.role === 'owner') this.requireOwner(principal, 'Only an owner may revoke an owner invitation');
    await this.repository.revokeInvitation(id);
  }

  async preview(token: string): Promise<InvitationPreviewDto> {
    const invitation = await this.usableInvitation(token);
    return {
      organizationName: invitation.tenantName,
      email: invitation.email,
      role: invitation.role,
      hasAccount: (await this.accounts.findUserByEmail(invitation.email)) !== null,
      expiresAt: invitation.expiresAt.toISOString(),
    };
  }

  /** Joins the organisation (creating the account for a new address) and signs in; the link works once. */
  async accept(input: AcceptInvitationDto, context: RequestContext): Promise<StartedSession> {
    const existing = await this.usableInvitation(input.token).then((invitation) => this.accounts.findUserByEmail(invitation.email));
    if (existing && !(await this.passwords.verify(existing.passwordHash, input.password))) {
      throw new HttpException({ error: 'Invalid email or password', code: 'invalid_credentials' }, HttpStatus.UNAUTHORIZED);
    }
    if (!existing && !input.name?.trim())
      throw invalidArgument('name is required for a new account', 'validation_failed', [
        { field: 'name', problems: ['name is required for a new account'] },
      ]);
    const passwordHash = existing ? null : await this.passwords.hash(input.password);
    const { userId, tenantId } = await this.repository.transaction(async (manager) => {
      const invitation = await this.repository.invitationByToken(hashSecret(input.token), manager);
      assertUsable(invitation);
      const user =
        existing ??
        (await this.accounts.insertUser(manager, {
          email: invitation!.email,
          name: input.name!.trim(),
          passwordHash: passwordHash!,
          verified: true,
        }));
      if (!user) throw conflict('An account for this address was created meanwhile; open the link again', 'account_created_meanwhile');
      await this.accounts.markVerified(manager, user.id);
      const membership = await this.accounts.insertMembership(manager, {
        tenantId: invitation!.tenantId,
        userId: user.id,
        role: invitation!.role,
        eventIds: invitation!.eventIds,
      });
      if (!membership) throw conflict('You are already a member of this organisation', 'already_member');
      await this.repository.markInvitationAccepted(manager, invitation!.id, user.id);
      return { userId: user.id, tenantId: invitation!.tenantId };
    });
    const user = await this.accounts.findUser(userId);
    return this.accountsService.startSession(user!, context, 'invitation', tenantId);
  }

  async updateMember(principal: Principal, memberId: string, input: UpdateMemberDto): Promise<MemberDto> {
    const eventIds = scopeOf(input.role, input.events);
    await this.repository.transaction(async (manager) => {
      const { member, owners } = await this.lockMember(manager, principal, memberId);
      if (member.role === 'owner' || input.role === 'owner')
        this.requireOwner(principal, 'Only an owner may grant or change the owner role');
      if (member.role === 'owner' && input.role !== 'owner' && owners <= 1) {
        throw conflict('The last owner cannot be demoted; make someone else an owner first', 'last_owner');
      }
      await this.repository.updateMember(manager, member.id, input.role, eventIds);
    });
    return toMemberDto((await this.repository.member(principal.tenant.id, memberId))!);
  }

  async removeMember(principal: Principal, memberId: string): Promise<MemberDto> {
    return this.repository.transaction(async (manager) => {
      const { member, owners } = await this.lockMember(manager, principal, memberId);
      if (member.role === 'owner') {
        this.requireOwner(principal, 'Only an owner may remove an owner');
        if (owners <= 1) throw conflict('The last owner cannot leave or be removed; make someone else an owner first', 'last_owner');
      }
      await this.repository.deleteMember(manager, member.id);
      return toMemberDto(member);
    });
  }

  private async lockMember(manager: Parameters<TeamRepository['lockMember']>[0], principal: Principal, memberId: string) {
    const { member, owners } = isUuid(memberId)
      ? await this.repository.lockMember(manager, principal.tenant.id, memberId)
      : { member: null, owners: 0 };
    if (!member) throw notFound('Member');
    return { member, owners };
  }

  private requireOwner(principal: Principal, message: string): void {
    if (principal.member?.role !== 'owner') throw forbidden(message, 'owner_required');
  }

  private async usableInvitation(token: string): Promise<InvitationRow> {
    const invitation = await this.repository.invitationByToken(hashSecret(token));
    assertUsable(invitation);
    return invitation!;
  }
}

function assertUsable(invitation: InvitationRow | null): void {
  if (!invitation)
    throw new HttpException({ error: 'This invitation link is not valid', code: 'invitation_invalid' }, HttpStatus.NOT_FOUND);
  if (invitation.acceptedAt) throw gone('This invitation was already used', 'invitation_used');
  if (invitation.revokedAt) throw gone('This invitation was withdrawn', 'invitation_revoked');
  if (invitation.expiresAt.getTime() <= Date.now()) throw gone('This invitation has expired; ask for a new one', 'invitation_expired');
}

function scopeOf(role: MemberRole, events: string[] | undefined): string[] | null {
  if (!isEventScopedRole(role)) {
    if (events)
      throw invalidArgument(`events apply to event managers and door staff only`, 'validation_failed', [
        { field: 'events', problems: ['events apply to event managers and door staff only'] },
      ]);
    return null;
  }
  if (role === 'event_manager' && !events?.length) {
    throw invalidArgument('an event manager needs at least one event', 'validation_failed', [
      { field: 'events', problems: ['choose at least one event'] },
    ]);
  }
  return events ? [...new Set(events)] : null;
}

function toMemberDto(member: MemberRow): MemberDto {
  return { ...member, createdAt: member.createdAt.toISOString() };
}

function toInvitationDto(invitation: InvitationRow): InvitationDto {
  const status = invitation.acceptedAt
    ? 'accepted'
    : invitation.revokedAt
      ? 'revoked'
      : invitation.expiresAt.getTime() <= Date.now()
        ? 'expired'
        : 'pending';
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    eventIds: invitation.eventIds,
    status,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}
