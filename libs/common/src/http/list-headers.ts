import type { Request, Response } from 'express';

/** `X-Total-Count` and an RFC 8288 `Link` header (first, prev, next, last) for a bare-array list. */
export function setListHeaders(req: Request, res: Response, total: number, page: number, limit: number, baseUrl?: string): void {
  res.setHeader('X-Total-Count', String(total));
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const url = new URL(req.originalUrl, baseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const linkTo = (target: number, rel: string) => {
    url.searchParams.set('page', String(target));
    url.searchParams.set('limit', String(limit));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links = [linkTo(1, 'first')];
  if (page > 1) links.push(linkTo(Math.min(page - 1, lastPage), 'prev'));
  if (page < lastPage) links.push(linkTo(page + 1, 'next'));
  links.push(linkTo(lastPage, 'last'));
  res.setHeader('Link', links.join(', '));
  res.setHeader(
    'Access-Control-Expose-Headers',
    'X-Total-Count, Link, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, RateLimit, RateLimit-Policy',
  );
}
