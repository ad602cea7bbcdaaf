import {
  AttendeeField,
  AttendeeFieldDto,
  invalidArgument,
  PassField,
  RESERVED_ATTENDEE_FIELD_KEYS,
  ReservedAttendeeFieldKey,
} from '@passway/common';

const DEFAULT_LABELS: Record<ReservedAttendeeFieldKey, string> = { name: 'Name', email: 'Email', phone: 'Phone' };

const isReserved = (key: string): key is ReservedAttendeeFieldKey => (RESERVED_ATTENDEE_FIELD_KEYS as readonly string[]).includes(key);

/**
 * The stored form of an event's attendeeFields: `name` first and required (added when absent),
 * then the others in the order given; a missing label is the key's own; `required` defaults to false.
 */
export function normaliseAttendeeFields(input: AttendeeFieldDto[]): AttendeeField[] {
  const seen = new Set<string>();
  const fields: AttendeeField[] = [];
  for (const { key, label, required } of input) {
    if (seen.has(key)) throw invalidArgument(`attendeeFields lists "${key}" twice`, 'duplicate_attendee_field');
    seen.add(key);
    if (key === 'name' && required === false) {
      throw invalidArgument('attendeeFields: name is always required', 'attendee_name_required');
    }
    fields.push({
      key,
      label: label ?? (isReserved(key) ? DEFAULT_LABELS[key] : key),
      required: key === 'name' ? true : (required ?? false),
    });
  }
  const name = fields.find((field) => field.key === 'name') ?? { key: 'name', label: DEFAULT_LABELS.name, required: true };
  return [name, ...fields.filter((field) => field.key !== 'name')];
}

/** Where a holder's data comes from: the pass's client for name/email/phone, its customFields for any other key. */
export interface HolderSource {
  client: { name: string; email: string | null; phone: string | null } | null;
  customFields: Pick<PassField, 'key' | 'value'>[];
}

/** One value per attendee field (null when the holder has none); blank strings count as none. */
export function holderValues(fields: AttendeeField[], source: HolderSource): Record<string, string | null> {
  const values: Record<string, string | null> = {};
  for (const { key } of fields) {
    const raw = isReserved(key) ? (source.client?.[key] ?? null) : (source.customFields.find((field) => field.key === key)?.value ?? null);
    values[key] = raw !== null && raw.trim() !== '' ? raw : null;
  }
  return values;
}

/** A 400 naming every required field the holder lacks, or nothing. */
export function assertRequiredAttendeeFields(fields: AttendeeField[], source: HolderSource): void {
  const values = holderValues(fields, source);
  const missing = fields.filter((field) => field.required && values[field.key] === null);
  if (missing.length === 0) return;
  const details = missing.map(({ key, label }) => ({ field: key, problems: [`${label} (${whereFrom(key)}) is required by the event`] }));
  throw invalidArgument(
    `missing attendee field${missing.length > 1 ? 's' : ''}: ${missing.map((field) => field.key).join(', ')}`,
    'attendee_field_missing',
    details,
  );
}

function whereFrom(key: string): string {
  switch (key) {
    case 'name':
      return 'clientName or clientId';
    case 'email':
      return "clientEmail or the client's email";
    case 'phone':
      return "clientPhone or the client's phone";
    default:
      return `customFields key "${key}"`;
  }
}
