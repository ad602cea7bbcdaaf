/** A page of a list route: the items, X-Total-Count, and the RFC 8288 Link relations. */
export interface Page<T> {
  items: T[];
  total: number;
  links: Partial<Record<'first' | 'prev' | 'next' | 'last', string>>;
}

export function parseLinkHeader(header: string | null): Page<unknown>['links'] {
  const links: Page<unknown>['links'] = {};
  if (!header) return links;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (!match) continue;
    for (const rel of match[2].split(/\s+/)) {
      if (rel === 'first' || rel === 'prev' || rel === 'next' || rel === 'last') links[rel] = match[1];
    }
  }
  return links;
}

export function toPage<T>(items: T[] | undefined, response: Response): Page<T> {
  const total = Number(response.headers.get('X-Total-Count') ?? items?.length ?? 0);
  return { items: items ?? [], total: Number.isFinite(total) ? total : 0, links: parseLinkHeader(response.headers.get('Link')) };
}
