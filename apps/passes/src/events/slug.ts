import { EVENT_SLUG_MAX_LENGTH } from '@passway/common';

/** Room left after a generated slug for a `-NNN` clash suffix, within EVENT_SLUG_MAX_LENGTH. */
const BASE_MAX_LENGTH = EVENT_SLUG_MAX_LENGTH - 8;
const FALLBACK = 'event';

/** `Summer Fest — Zürich 2026!` → `summer-fest-zurich-2026`; a name with no latin letters or digits gives `event`. */
export function slugify(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > BASE_MAX_LENGTH) {
      if (!slug) slug = word.slice(0, BASE_MAX_LENGTH);
      break;
    }
    slug = next;
  }
  return slug || FALLBACK;
}

/** The base itself when free, else the first of base-2, base-3, … that is not taken. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
