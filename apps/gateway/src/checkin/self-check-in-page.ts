import { escapeHtml, EventView, formatInstant, holderTheme } from '@passway/common';
import { HtmlPage, page } from '../holder/public-pass-page';
import { CheckInOutcome } from './self-check-in.service';

const MESSAGES: Record<CheckInOutcome['kind'], { tone: 'ok' | 'warn' | 'error'; text: string }> = {
  checked_in: { tone: 'ok', text: "You're checked in. Enjoy the event!" },
  already_checked_in: { tone: 'warn', text: 'This pass has already been checked in.' },
  not_matched: { tone: 'error', text: "We couldn't check you in with those details. Check your code (and email) and try again." },
  not_valid_now: { tone: 'error', text: 'This pass cannot be used for check-in right now. Please see the staff at the entrance.' },
  closed: { tone: 'error', text: 'Check-in for this event is closed. Please see the staff at the entrance.' },
  unavailable: { tone: 'error', text: 'Check-in is briefly unavailable. Please try again in a moment.' },
};

/** The attendee's own check-in form, and the answer to a submission. No script; the form posts back to itself. */
export function renderSelfCheckInPage(
  event: EventView,
  formAction: string,
  outcome?: CheckInOutcome,
  values = { code: '', email: '' },
): HtmlPage {
  const theme = holderTheme({ ...event.branding, name: event.name });
  const css = `
*{box-sizing:border-box}
body{margin:0;background:#f1f3f4;color:${theme.text};font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:440px;margin:0 auto;padding:12px}
.card{background:${theme.background};border-radius:12px;border-top:8px solid ${theme.primary};padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.logo{display:block;max-height:48px;max-width:60%;margin:0 0 12px}
h1{margin:0 0 4px;font-size:1.5rem;line-height:1.25;overflow-wrap:anywhere}
.when{margin:0 0 16px;opacity:.8}
label{display:block;margin:12px 0 4px;font-weight:600}
input{width:100%;padding:12px;font-size:1.1rem;border:1px solid #9aa0a6;border-radius:8px}
input[name=code]{text-transform:uppercase;letter-spacing:.1em;font-family:ui-monospace,Menlo,Consolas,monospace}
button{margin-top:16px;width:100%;padding:14px;font-size:1.1rem;font-weight:700;color:#fff;background:${theme.primary};border:0;border-radius:8px}
.message{margin:0 0 12px;padding:12px;border-radius:8px;font-weight:600}
.ok{background:#e6f4ea;color:#137333}.warn{background:#fef7e0;color:#8a5700}.error{background:#fce8e6;color:#a50e0e}`;
  const message = outcome ? MESSAGES[outcome.kind] : undefined;
  const logo = theme.logoUrl ? `<img class="logo" src="${escapeHtml(theme.logoUrl)}" alt="">` : '';
  const body = `<main><div class="card">
${logo}<h1>${escapeHtml(event.name)}</h1>
<p class="when">${escapeHtml(formatInstant(event.startsAt))}${event.venue ? ` · ${escapeHtml(event.venue)}` : ''}</p>
${message ? `<p class="message ${message.tone}" role="status" data-outcome="${outcome!.kind}">${escapeHtml(message.text)}</p>` : ''}
<form method="post" action="${escapeHtml(formAction)}">
<label for="code">Your pass code</label>
<input id="code" name="code" required maxlength="32" autocomplete="off" autocapitalize="characters" value="${escapeHtml(values.code)}">
<label for="email">Email (optional)</label>
<input id="email" name="email" type="email" maxlength="320" autocomplete="email" value="${escapeHtml(values.email)}">
<button type="submit">Check in</button>
</form>
</div></main>`;
  return page(`Check in · ${event.name}`, css, body, { allowForms: true });
}
