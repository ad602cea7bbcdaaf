import { PassStatus } from '../contracts/passes/pass.view';

/** How a status reads to the holder, and whether the pass still opens a door. */
export const STATUS_DISPLAY: Record<PassStatus, { label: string; valid: boolean; colour: string }> = {
  active: { label: 'Active', valid: true, colour: '#137333' },
  used: { label: 'Used', valid: false, colour: '#5f6368' },
  expired: { label: 'Expired', valid: false, colour: '#b06000' },
  revoked: { label: 'Revoked', valid: false, colour: '#c5221f' },
};

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function formatInstant(iso: string): string {
  return `${DATE_TIME.format(new Date(iso))} UTC`;
}

/** "From … until …", "Until …", "From …" or "No expiry". */
export function describeValidity(validFrom: string | null, validUntil: string | null): string {
  if (validFrom && validUntil) return `From ${formatInstant(validFrom)} until ${formatInstant(validUntil)}`;
  if (validUntil) return `Valid until ${formatInstant(validUntil)}`;
  if (validFrom) return `Valid from ${formatInstant(validFrom)}`;
  return 'No expiry';
}

export function passTitle(name: string | null): string {
  return name && name.trim() ? name : 'Your pass';
}
