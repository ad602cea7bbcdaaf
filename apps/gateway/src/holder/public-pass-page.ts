import { createHash } from 'node:crypto';
import {
  describeValidity,
  escapeHtml,
  formatInZone,
  holderTheme,
  passQrSvg,
  passTitle,
  PublicPassView,
  STATUS_DISPLAY,
  WalletLinks,
} from '@passway/common';

export interface HtmlPage {
  html: string;
  /** Content-Security-Policy for this page: no scripts at all, only the one inline style block whose hash it names. */
  csp: string;
}

/** A whole HTML page and its CSP: no scripts, only this style block; forms may post back to this origin when allowed. */
export function page(title: string, css: string, body: string, { allowForms = false } = {}): HtmlPage {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>`;
  const styleHash = createHash('sha256').update(css).digest('base64');
  const csp = [
    "default-src 'none'",
    "script-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    'img-src https: data:',
    "base-uri 'none'",
    allowForms ? "form-action 'self'" : "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

/** The holder's pass: readable on a phone held up at a door, the QR as large as the screen allows. */
export async function renderPublicPassPage(
  pass: PublicPassView,
  links: WalletLinks = { apple: null, google: null, calendar: null },
): Promise<HtmlPage> {
  const theme = holderTheme(pass.branding);
  const status = STATUS_DISPLAY[pass.status];
  const title = passTitle(pass.name);
  const qr = await passQrSvg(pass.code);
  const css = `
*{box-sizing:border-box}
body{margin:0;background:#f1f3f4;color:${theme.text};font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:440px;margin:0 auto;padding:12px}
.card{background:${theme.background};border-radius:12px;border-top:8px solid ${theme.primary};padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.logo{display:block;max-height:48px;max-width:60%;margin:0 0 12px}
h1{margin:0 0 8px;font-size:1.5rem;line-height:1.25;overflow-wrap:anywhere}
.status{display:inline-block;padding:4px 12px;border-radius:999px;color:#fff;background:${status.colour};font-weight:700;text-transform:uppercase;letter-spacing:.05em;font-size:.85rem}
.notice{margin:12px 0 0;padding:8px 12px;border-radius:8px;background:#fce8e6;color:#a50e0e;font-weight:600}
.validity{margin:12px 0;color:inherit;opacity:.8}
.qr{margin:16px auto 8px;width:min(80vw,320px);background:#fff;padding:0;border-radius:8px}
.qr svg{display:block;width:100%;height:auto}
.invalid .qr{outline:4px solid ${status.colour}}
.code{text-align:center;font:600 1.1rem/1.4 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.15em;overflow-wrap:anywhere}
dl{margin:16px 0 0;border-top:1px solid rgba(0,0,0,.12)}
dl div{display:flex;justify-content:space-between;gap:12px;padding:8px 0;border-bottom:1px solid rgba(0,0,0,.08)}
dt{opacity:.7}
dd{margin:0;text-align:right;overflow-wrap:anywhere}
footer{margin:12px 0;text-align:center;font-size:.8rem;opacity:.6}
.event{margin:0 0 8px}
.event p{margin:2px 0}
.holder{margin:8px 0 0;font-weight:600}
.wallets{display:flex;flex-direction:column;gap:8px;margin:16px 0 0}
.wallets a{display:block;padding:12px;border-radius:8px;text-align:center;text-decoration:none;font-weight:700;color:#fff;background:#000}
.wallets a.google{background:#1a73e8}
.wallets a.calendar{background:transparent;color:inherit;border:1px solid rgba(0,0,0,.25)}`;
  const logo = theme.logoUrl ? `<img class="logo" src="${escapeHtml(theme.logoUrl)}" alt="${escapeHtml(theme.brandName ?? '')}">` : '';
  const notice = status.valid
    ? ''
    : `<p class="notice" data-testid="status-notice">This pass is ${escapeHtml(status.label.toLowerCase())} and no longer admits entry.</p>`;
  const usage =
    pass.type === 'multi' && pass.maxUsages !== null ? `<div><dt>Uses</dt><dd>${pass.usagesCount} of ${pass.maxUsages}</dd></div>` : '';
  const fields = pass.fields.map((field) => `<div><dt>${escapeHtml(field.key)}</dt><dd>${escapeHtml(field.value)}</dd></div>`).join('');
  const event = pass.event
    ? `<section class="event" data-testid="pass-event"><p data-testid="event-name"><strong>${escapeHtml(pass.event.name)}</strong></p>
<p data-testid="event-when">${escapeHtml(formatInZone(pass.event.startsAt, pass.event.timezone))}</p>
${pass.event.venue ? `<p data-testid="event-venue">${escapeHtml(pass.event.venue)}</p>` : ''}</section>`
    : '';
  const holder = pass.holderName ? `<p class="holder" data-testid="pass-holder">${escapeHtml(pass.holderName)}</p>` : '';
  const buttons = [
    links.apple ? `<a class="apple" data-testid="wallet-apple" href="${escapeHtml(links.apple)}">Add to Apple Wallet</a>` : '',
    links.google ? `<a class="google" data-testid="wallet-google" href="${escapeHtml(links.google)}">Add to Google Wallet</a>` : '',
    links.calendar
      ? `<a class="calendar" data-testid="add-to-calendar" href="${escapeHtml(links.calendar)}">Add to calendar (.ics)</a>`
      : '',
  ].join('');
  const body = `<main>
<article class="card${status.valid ? '' : ' invalid'}" data-status="${escapeHtml(pass.status)}">
${logo}
${event}<h1 data-testid="pass-name">${escapeHtml(title)}</h1>
${holder}
<span class="status" data-testid="pass-status">${escapeHtml(status.label)}</span>
${notice}
<p class="validity" data-testid="pass-validity">${escapeHtml(describeValidity(pass.validFrom, pass.validUntil))}</p>
<figure class="qr" data-testid="pass-qr" role="img" aria-label="QR code of pass ${escapeHtml(pass.code)}">${qr}</figure>
<p class="code" data-testid="pass-code">${escapeHtml(pass.code)}</p>
${fields || usage ? `<dl data-testid="pass-fields">${usage}${fields}</dl>` : ''}
${buttons ? `<nav class="wallets" data-testid="wallet-buttons">${buttons}</nav>` : ''}
</article>
${status.valid ? '<footer>Show this QR code at the entrance.</footer>' : ''}
</main>`;
  return page(`${title} · ${status.label}`, css, body);
}

const MESSAGE_CSS = `body{margin:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f1f3f4;color:#1a1a1a}
main{max-width:440px;margin:15vh auto 0;padding:24px;text-align:center}`;

/** The same page for a missing pass, a missing token and a forged one: it never says which. */
export function renderPassNotFoundPage(): HtmlPage {
  return page(
    'Pass not found',
    MESSAGE_CSS,
    '<main><h1>Pass not found</h1><p>Check that you opened the full link you were sent.</p></main>',
  );
}

export function renderPassUnavailablePage(): HtmlPage {
  return page(
    'Try again shortly',
    MESSAGE_CSS,
    '<main><h1>Your pass cannot be shown right now</h1><p>Please try again in a moment.</p></main>',
  );
}
