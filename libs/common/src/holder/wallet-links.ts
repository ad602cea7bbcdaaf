/** Which wallets this deployment offers (each is configured or not). */
export interface OfferedWallets {
  apple: boolean;
  google: boolean;
}

export interface WalletLinks {
  apple: string | null;
  google: string | null;
  calendar: string | null;
}

/**
 * The holder's wallet and calendar links, next to the public pass link `…/p/CODE?token=T` and
 * behind the same token: `…/p/CODE/wallet/apple?token=T`, `…/wallet/google`, `…/event.ics`.
 */
export function holderLinks(publicUrl: string, wallets: OfferedWallets, hasEvent: boolean): WalletLinks {
  const at = publicUrl.indexOf('?');
  const base = at < 0 ? publicUrl : publicUrl.slice(0, at);
  const query = at < 0 ? '' : publicUrl.slice(at);
  return {
    apple: wallets.apple ? `${base}/wallet/apple${query}` : null,
    google: wallets.google ? `${base}/wallet/google${query}` : null,
    calendar: hasEvent ? `${base}/event.ics${query}` : null,
  };
}

/** An instant in the event's zone, e.g. "Saturday, 1 June 2030 at 20:30 CEST" (the wording is ICU's). */
export function formatInZone(iso: string, timeZone: string | null): string {
  return (
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: timeZone ?? 'UTC' }).format(new Date(iso)) +
    ` ${zoneName(iso, timeZone ?? 'UTC')}`
  );
}

function zoneName(iso: string, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** An iCalendar (RFC 5545) file with the one event, for "add to calendar". */
export function eventIcs(input: {
  uid: string;
  name: string;
  startsAt: string;
  endsAt: string | null;
  venue: string | null;
  url: string;
  now?: Date;
}): string {
  const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Passway//Pass//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${input.uid}`,
    `DTSTAMP:${stamp((input.now ?? new Date()).toISOString())}`,
    `DTSTART:${stamp(input.startsAt)}`,
    ...(input.endsAt ? [`DTEND:${stamp(input.endsAt)}`] : []),
    `SUMMARY:${escape(input.name)}`,
    ...(input.venue ? [`LOCATION:${escape(input.venue)}`] : []),
    `URL:${input.url}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const char of line) {
    if (Buffer.byteLength(current + char, 'utf8') > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
    }
    current += char;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
