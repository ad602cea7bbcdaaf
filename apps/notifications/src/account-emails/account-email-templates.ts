import { AccountEmailInput, AccountEmailKind, escapeHtml } from '@passway/common';
import type { RenderedEmail } from '../emails/email-templates';

export { ACCOUNT_EMAIL_KINDS } from '@passway/common';
export type { AccountEmailInput, AccountEmailKind } from '@passway/common';

const COPY: Record<AccountEmailKind, (input: AccountEmailInput) => { subject: string; lead: string; action: string; note: string }> = {
  verify_email: (input) => ({
    subject: 'Confirm your email address for Passway',
    lead: `Welcome to Passway${input.name ? `, ${input.name}` : ''}. Confirm your email address to start using your organisation${input.organizationName ? ` ${input.organizationName}` : ''}.`,
    action: 'Confirm email address',
    note: 'The link works for 24 hours. If you did not sign up, ignore this email.',
  }),
  reset_password: () => ({
    subject: 'Reset your Passway password',
    lead: 'Someone asked to reset the password of your Passway account. Choose a new one with the link below.',
    action: 'Choose a new password',
    note: 'The link works for 1 hour and only once. If you did not ask for it, ignore this email: your password stays as it is.',
  }),
  invitation: (input) => ({
    subject: `You are invited to ${input.organizationName ?? 'an organisation'} on Passway`,
    lead: `${input.invitedBy ?? 'A team member'} invited you to join ${input.organizationName ?? 'their organisation'} on Passway as ${input.role ?? 'a member'}.`,
    action: 'Accept the invitation',
    note: 'The invitation is valid for 7 days and can be used once.',
  }),
  holder_portal: (input) => ({
    subject: `Your passes${input.organizationName ? ` from ${input.organizationName}` : ''}`,
    lead: `Here is the link to your passes${input.organizationName ? ` from ${input.organizationName}` : ''}, with their Apple Wallet and Google Wallet buttons.`,
    action: 'Show my passes',
    note: 'The link works for 15 minutes and only once. If you did not ask for it, ignore this email.',
  }),
};

/** Plain, accessible account emails: one paragraph, one button, the link spelled out. */
export function renderAccountEmail(input: AccountEmailInput): RenderedEmail {
  const copy = COPY[input.kind](input);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f7f9;font-family:Arial,Helvetica,sans-serif;color:#1a1d23">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border:1px solid #d5d9e0;border-radius:8px;padding:24px">
<p style="margin:0 0 16px;font-size:16px;line-height:1.5">${escapeHtml(copy.lead)}</p>
<p style="margin:0 0 16px"><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:#1f4fd1;color:#ffffff;text-decoration:none;font-weight:bold">${escapeHtml(copy.action)}</a></p>
<p style="margin:0 0 8px;font-size:13px;color:#5a6270;word-break:break-all">${escapeHtml(input.link)}</p>
<p style="margin:0;font-size:13px;color:#5a6270">${escapeHtml(copy.note)}</p>
</div></body></html>`;
  const text = [copy.lead, '', `${copy.action}: ${input.link}`, '', copy.note].join('\n');
  return { subject: copy.subject, html, text };
}
