export const ACCOUNT_EMAIL_KINDS = ['verify_email', 'reset_password', 'invitation', 'holder_portal'] as const;
export type AccountEmailKind = (typeof ACCOUNT_EMAIL_KINDS)[number];

/** What an account email (verification, password reset, invitation) is rendered from. */
export interface AccountEmailInput {
  kind: AccountEmailKind;
  to: string;
  /** The one-time link the email is about. */
  link: string;
  /** The recipient's name, when known. */
  name?: string;
  organizationName?: string;
  role?: string;
  invitedBy?: string;
}

/** The SendAccountEmail command's input. */
export interface SendAccountEmailInput extends AccountEmailInput {
  /** The caller's idempotency key: the same request twice queues one email. */
  requestKey: string;
}
