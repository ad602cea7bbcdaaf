import {
  describeValidity,
  escapeHtml,
  holderLinks,
  HolderTheme,
  holderTheme,
  OfferedWallets,
  PassBranding,
  passTitle,
  PassView,
  STATUS_DISPLAY,
  WalletLinks,
} from '@passway/common';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** The QR PNG travels as an inline attachment referenced by this Content-ID (data: URIs and SVG are blocked by most mail clients). */
export const QR_CONTENT_ID = 'pass-qr';

type HolderPass = Pick<PassView, 'code' | 'name' | 'validFrom' | 'validUntil' | 'fields' | 'publicUrl' | 'status'>;

/** "Your pass": name, validity, public fields only, the QR code and the link to the public page. */
export function renderPassIssued(
  pass: HolderPass,
  branding: PassBranding | null,
  wallets: OfferedWallets = { apple: false, google: false },
): RenderedEmail {
  const links = holderLinks(pass.publicUrl, wallets, false);
  const theme = holderTheme(branding);
  const title = passTitle(pass.name);
  const validity = describeValidity(pass.validFrom, pass.validUntil);
  const fields = pass.fields.filter((field) => field.isPublic === true);
  const subject = singleLine(`Your pass: ${title}`);

  const fieldRows = fields
    .map(
      (field) =>
        `<tr><td style="padding:4px 0;color:#5f6368;font-size:14px">${escapeHtml(field.key)}</td>` +
        `<td style="padding:4px 0 4px 12px;font-size:14px;text-align:right">${escapeHtml(field.value)}</td></tr>`,
    )
    .join('');
  const body = `
<h1 style="margin:0 0 8px;font-size:22px;line-height:1.3">${escapeHtml(title)}</h1>
<p style="margin:0 0 16px;font-size:14px;color:#5f6368">${escapeHtml(validity)}</p>
<p style="margin:0 0 16px;text-align:center"><img src="cid:${QR_CONTENT_ID}" width="240" height="240" alt="QR code of your pass ${escapeHtml(pass.code)}" style="display:block;margin:0 auto;width:240px;max-width:100%;height:auto;background:#fff"></p>
<p style="margin:0 0 16px;text-align:center;font-family:monospace;font-size:16px;letter-spacing:2px">${escapeHtml(pass.code)}</p>
${fieldRows ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:0 0 16px;border-top:1px solid #e0e0e0">${fieldRows}</table>` : ''}
<p style="margin:0 0 8px;text-align:center"><a href="${escapeHtml(pass.publicUrl)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:${theme.primary};color:#ffffff;text-decoration:none;font-weight:bold">Open your pass</a></p>
${walletButtons(links)}<p style="margin:0;font-size:12px;color:#5f6368;text-align:center">Show the QR code at the entrance.</p>`;

  const text = [
    title,
    validity,
    '',
    `Code: ${pass.code}`,
    ...fields.map((field) => `${field.key}: ${field.value}`),
    '',
    `Open your pass: ${pass.publicUrl}`,
    ...(links.apple ? [`Add to Apple Wallet: ${links.apple}`] : []),
    ...(links.google ? [`Add to Google Wallet: ${links.google}`] : []),
    'Show the QR code at the entrance.',
  ].join('\n');
  return { subject, html: layout(subject, theme, body), text };
}

/** "Add to Apple Wallet" / "Add to Google Wallet", for each wallet this deployment offers. */
function walletButtons(links: WalletLinks): string {
  const button = (href: string, label: string, colour: string, testId: string) =>
    `<a href="${escapeHtml(href)}" data-wallet="${testId}" style="display:inline-block;margin:4px;padding:10px 16px;border-radius:6px;background:${colour};color:#ffffff;text-decoration:none;font-weight:bold;font-size:14px">${label}</a>`;
  const buttons = [
    links.apple ? button(links.apple, 'Add to Apple Wallet', '#000000', 'apple') : '',
    links.google ? button(links.google, 'Add to Google Wallet', '#1a73e8', 'google') : '',
  ].join('');
  return buttons ? `<p style="margin:0 0 12px;text-align:center">${buttons}</p>` : '';
}

/** A short notice that a pass no longer admits anyone. */
export function renderPassRevoked(pass: HolderPass, branding: PassBranding | null): RenderedEmail {
  const theme = holderTheme(branding);
  const title = passTitle(pass.name);
  const subject = singleLine(`Your pass was revoked: ${title}`);
  const body = `
<h1 style="margin:0 0 8px;font-size:22px;line-height:1.3">${escapeHtml(title)}</h1>
<p style="margin:0 0 16px;font-size:16px;color:${STATUS_DISPLAY.revoked.colour};font-weight:bold">Your pass was revoked.</p>
<p style="margin:0;font-size:14px">The pass ${escapeHtml(pass.code)} can no longer be used. If you think this is a mistake, contact the organiser.</p>`;
  const text = [
    title,
    '',
    `Your pass was revoked. The pass ${pass.code} can no longer be used.`,
    'If you think this is a mistake, contact the organiser.',
  ].join('\n');
  return { subject, html: layout(subject, theme, body), text };
}

function layout(subject: string, theme: HolderTheme, body: string): string {
  const logo = theme.logoUrl
    ? `<img src="${escapeHtml(theme.logoUrl)}" alt="${escapeHtml(theme.brandName ?? '')}" height="40" style="display:block;height:40px;max-width:200px;margin:0 0 16px">`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f3f4">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f3f4"><tr><td align="center" style="padding:16px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:480px;background:${theme.background};color:${theme.text};border-radius:8px;border-top:6px solid ${theme.primary};font-family:Arial,Helvetica,sans-serif">
<tr><td style="padding:24px">${logo}${body}</td></tr>
</table></td></tr></table>
</body></html>`;
}

/** Subjects are headers: no line breaks, bounded length. */
function singleLine(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}
