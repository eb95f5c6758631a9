import type { Channel, Purpose } from '#src/verification/verification.config.js';
import type { Locale } from '#src/platform/index.js';

export type { Locale };

/** What a provider needs to deliver one code (the SPEC §12 webhook body, field for field). */
export interface CodeMessage {
  channel: Channel;
  /** E.164 phone or email address. */
  to: string;
  purpose: Purpose;
  code: string;
  locale: Locale;
  /** Seconds. */
  expires_in: number;
}
