import { escapeHtml, formatInZone, passTitle, STATUS_DISPLAY } from '@passway/common';
import { HtmlPage, page } from '../public-pass-page';
import type { PortalPass } from './holder-portal.service';

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f1f3f4;color:#1a1a1a;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:480px;margin:0 auto;padding:12px}
.card{background:#fff;border-radius:12px;border-top:8px solid #1f4fd1;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.15);margin:0 0 12px}
h1{margin:0 0 8px;font-size:1.4rem;line-height:1.25;overflow-wrap:anywhere}
h2{margin:0 0 4px;font-size:1.15rem;overflow-wrap:anywhere}
p{margin:4px 0}
label{display:block;margin:12px 0 4px;font-weight:600}
input{width:100%;padding:12px;font-size:1.1rem;border:1px solid #9aa0a6;border-radius:8px}
button{margin-top:16px;width:100%;padding:14px;font-size:1.1rem;font-weight:700;color:#fff;background:#1f4fd1;border:0;border-radius:8px}
.message{margin:0 0 12px;padding:12px;border-radius:8px;font-weight:600;background:#e6f4ea;color:#137333}
.error{background:#fce8e6;color:#a50e0e}
.status{display:inline-block;padding:2px 10px;border-radius:999px;color:#fff;font-weight:700;font-size:.8rem;text-transform:uppercase}
.wallets{display:flex;flex-direction:column;gap:8px;margin:12px 0 0}
.wallets a{display:block;padding:10px;border-radius:8px;text-align:center;text-decoration:none;font-weight:700;color:#fff;background:#000}
.wallets a.google{background:#1a73e8}
.wallets a.page,.wallets a.calendar{background:transparent;color:inherit;border:1px solid rgba(0,0,0,.25)}
${Object.entries(STATUS_DISPLAY)
  .map(([status, display]) => `.status.${status}{background:${display.colour}}`)
  .join('\n')}`;

/** The email form, and after a submission the same "check your inbox" for every address. */
export function renderPortalForm(organizationName: string, action: string, { sent = false } = {}): HtmlPage {
  const message = sent
    ? `<p class="message" role="status" data-testid="portal-sent">If this address has passes from ${escapeHtml(organizationName)}, a link to them is on its way. It works for 15 minutes, once.</p>`
    : '';
  const body = `<main><div class="card">
<h1>Your passes from ${escapeHtml(organizationName)}</h1>
<p>Type the email address your passes were sent to: we email you a link to all of them.</p>
${message}
<form method="post" action="${escapeHtml(action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" required maxlength="320" autocomplete="email">
<button type="submit">Email me a link</button>
</form>
</div></main>`;
  return page(`Your passes · ${organizationName}`, CSS, body, { allowForms: true });
}

export function renderPortalPasses(organizationName: string, passes: PortalPass[]): HtmlPage {
  const items = passes.map(({ pass, pageUrl, links }) => {
    const status = STATUS_DISPLAY[pass.status];
    const event = pass.event
      ? `<p data-testid="portal-event">${escapeHtml(pass.event.name)} · ${escapeHtml(formatInZone(pass.event.startsAt, pass.event.timezone))}${pass.event.venue ? ` · ${escapeHtml(pass.event.venue)}` : ''}</p>`
      : '';
    const buttons = [
      `<a class="page" data-testid="portal-open" href="${escapeHtml(pageUrl)}">Show pass</a>`,
      links.apple ? `<a class="apple" data-testid="wallet-apple" href="${escapeHtml(links.apple)}">Add to Apple Wallet</a>` : '',
      links.google ? `<a class="google" data-testid="wallet-google" href="${escapeHtml(links.google)}">Add to Google Wallet</a>` : '',
      links.calendar
        ? `<a class="calendar" data-testid="add-to-calendar" href="${escapeHtml(links.calendar)}">Add to calendar (.ics)</a>`
        : '',
    ].join('');
    return `<article class="card" data-testid="portal-pass" data-code="${escapeHtml(pass.code)}">
<h2>${escapeHtml(passTitle(pass.name))}</h2>
${event}<p><span class="status ${escapeHtml(pass.status)}" data-testid="portal-status">${escapeHtml(status.label)}</span></p>
<nav class="wallets">${buttons}</nav>
</article>`;
  });
  const body = `<main>
<div class="card"><h1>Your passes from ${escapeHtml(organizationName)}</h1>
<p data-testid="portal-count">${passes.length === 1 ? '1 pass' : `${passes.length} passes`}. This link has now been used: ask for a new one to come back.</p></div>
${items.join('\n')}
</main>`;
  return page(`Your passes · ${organizationName}`, CSS, body);
}

/** A forged, used or expired link: the same 403 for each. */
export function renderPortalLinkRefused(formPath: string): HtmlPage {
  const body = `<main><div class="card"><h1>This link does not work</h1>
<p class="message error" data-testid="portal-refused">Portal links work once, for 15 minutes.</p>
<p><a href="${escapeHtml(formPath)}">Ask for a new link</a></p></div></main>`;
  return page('Link not valid', CSS, body);
}

export function renderPortalUnavailable(): HtmlPage {
  return page(
    'Try again shortly',
    CSS,
    '<main><div class="card"><h1>The portal is briefly unavailable</h1><p>Please try again in a moment.</p></div></main>',
  );
}
