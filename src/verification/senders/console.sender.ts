import { Logger } from '@nestjs/common';
import type { CodeMessage, CodeSender } from '#src/verification/senders/code-sender.js';

/**
 * Development only (refused at start in production by the config). The one place a code is written to a log, on
 * purpose and with a marker nobody can miss, so a developer can use the demo page without a provider.
 */
export class ConsoleSender implements CodeSender {
  readonly name = 'console';
  private readonly logger = new Logger('VerificationCode');

  send(m: CodeMessage): Promise<void> {
    this.logger.warn(`[DEV ONLY: VERIFICATION CODE] ${m.channel} to ${m.to} for ${m.purpose}: ${m.code}`);
    return Promise.resolve();
  }
}
