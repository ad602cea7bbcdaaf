/**
 * The events an event-scoped API key may see (issue 8); undefined = every event of the tenant.
 * Outside the scope a pass or an event does not exist for that key: 404, never 403.
 */
export type EventScope = readonly string[] | undefined;

export function inScope(scope: EventScope, eventId: string | null | undefined): boolean {
  return scope === undefined || (typeof eventId === 'string' && scope.includes(eventId));
}
