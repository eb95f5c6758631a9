import type { Channel, Purpose } from '#src/verification/verification.config.js';
import type { Locale } from '#src/platform/index.js';

export type { Locale };

/** Messages about the account that carry no code (`code` is empty): the notice of a contact change (SPEC §3). */
export const NOTICES = ['contact_changed'] as const;
export type Notice = (typeof NOTICES)[number];

/** What a provider needs to deliver one code (the SPEC §12 webhook body, field for field). */
export interface CodeMessage {
  channel: Channel;
  /** E.164 phone or email address. */
  to: string;
  purpose: Purpose | Notice;
  code: string;
  locale: Locale;
  /** Seconds. */
  expires_in: number;
}
