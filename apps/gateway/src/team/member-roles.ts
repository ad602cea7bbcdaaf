import type { Role } from '../api-keys/entities/api-key.entity';

export const MEMBER_ROLES = ['owner', 'admin', 'event_manager', 'door_staff'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The key role a member acts with: the same route rules hold for people and keys. */
export const KEY_ROLE_OF_MEMBER: Record<MemberRole, Role> = {
  owner: 'admin',
  admin: 'admin',
  event_manager: 'staff',
  door_staff: 'scanner',
};

/** Roles scoped to chosen events (like event-scoped keys); the others see every event. */
export function isEventScopedRole(role: MemberRole): boolean {
  return role === 'event_manager' || role === 'door_staff';
}
