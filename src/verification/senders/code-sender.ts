import type { CodeMessage } from '#src/verification/code-message.js';

// The message types live beside the module, so templates/ and senders/ both read them without a folder cycle.
export type { CodeMessage, Locale } from '#src/verification/code-message.js';

/** One delivery attempt; throws on failure so the caller can retry and count it. */
export interface CodeSender {
  readonly name: string;
  send(message: CodeMessage): Promise<void>;
}
