import { createTransport, type Transporter } from 'nodemailer';
import type { CodeMessage, CodeSender } from '#src/verification/senders/code-sender.js';
import { renderCodeMessage } from '#src/verification/templates/messages.js';
import type { I18nService } from '#src/platform/index.js';

/** Email through nodemailer (SPEC §1), a text and an HTML part in the message's locale. */
export class SmtpSender implements CodeSender {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    private readonly i18n: I18nService,
  ) {
    this.transport = createTransport(url);
  }

  async send(m: CodeMessage): Promise<void> {
    const { subject, text, html } = renderCodeMessage(this.i18n, m);
    await this.transport.sendMail({ from: this.from, to: m.to, subject, text, html });
  }

  close(): void {
    this.transport.close();
  }
}
