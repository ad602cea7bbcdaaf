/** One email sent (or being sent) to a pass's holder, as `GET /passes/:id/emails` lists it. */
export interface PassEmailView {
  id: string;
  kind: 'pass_issued' | 'pass_revoked';
  to: string;
  subject: string;
  /** queued → sent | failed; `logged` when EMAIL_PROVIDER=log recorded it instead of sending. */
  status: 'queued' | 'sent' | 'failed' | 'logged';
  provider: 'resend' | 'log';
  providerMessageId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
