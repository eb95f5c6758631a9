import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Counter } from 'prom-client';
import { AliyunSender } from '#src/verification/senders/aliyun.sender.js';
import type { CodeMessage, CodeSender } from '#src/verification/senders/code-sender.js';
import { ConsoleSender } from '#src/verification/senders/console.sender.js';
import { SmtpSender } from '#src/verification/senders/smtp.sender.js';
import { TencentSender } from '#src/verification/senders/tencent.sender.js';
import { WebhookSender } from '#src/verification/senders/webhook.sender.js';
import verificationConfig, { type Channel } from '#src/verification/verification.config.js';
import { AppException, Clock, I18nService, MetricsService } from '#src/platform/index.js';
import { VerificationErrors } from '#src/verification/verification.errors.js';

const RETRY_BASE_MS = 200;

/**
 * Picks the provider of each channel, and runs deliveries after the answer has gone (SPEC §12: the answer never
 * depends on the provider). A failed send is retried a bounded number of times, logged without the code, and
 * counted by provider and outcome.
 */
@Injectable()
export class CodeDeliveryService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CodeDeliveryService.name);
  private readonly senders: Partial<Record<Channel, CodeSender>> = {};
  private readonly sends: Counter<'channel' | 'provider' | 'outcome'>;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
    clock: Clock,
    metrics: MetricsService,
    i18n: I18nService,
  ) {
    const webhook = (url: string | null) => new WebhookSender(url ?? '', config.webhook.secret ?? '', clock);
    const sms = {
      console: () => new ConsoleSender(),
      webhook: () => webhook(config.webhook.smsUrl),
      aliyun: () => new AliyunSender(config.aliyun),
      tencent: () => new TencentSender(config.tencent),
    };
    const email = {
      console: () => new ConsoleSender(),
      webhook: () => webhook(config.webhook.emailUrl),
      smtp: () => new SmtpSender(config.smtp.url ?? '', config.smtp.from, i18n),
    };
    if (config.smsProvider) {
      this.senders.sms = sms[config.smsProvider]();
    }
    if (config.emailProvider) {
      this.senders.email = email[config.emailProvider]();
    }
    this.sends = metrics.counter({
      name: 'gatehouse_code_sends_total',
      help: 'Verification code requests accepted (outcome requested, counted whether or not an account holds the destination) and provider failures (retried, failed), by channel and provider',
      labelNames: ['channel', 'provider', 'outcome'],
    });
  }

  /** SPEC §12: in production a channel with no provider is off. */
  assertEnabled(channel: Channel): void {
    if (!this.senders[channel]) {
      throw new AppException(
        VerificationErrors.CHANNEL_DISABLED,
        channel === 'sms' ? 'Codes by SMS are not available' : 'Codes by email are not available',
      );
    }
  }

  /**
   * Counts an accepted code request, known destination or not. SPEC §12: no metric reveals whether an account holds a
   * destination, so successful sends are not counted (they happen only for held ones); requests are.
   */
  requested(channel: Channel): void {
    const sender = this.senders[channel];
    if (sender) {
      this.sends.inc({ channel, provider: sender.name, outcome: 'requested' });
    }
  }

  /** Runs `job` after the current request, never failing it; shutdown waits for what is in flight. */
  later(job: () => Promise<void>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(job)
      .catch((e: unknown) => this.logger.error(`code delivery job failed: ${(e as Error).message}`))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  async deliver(message: CodeMessage): Promise<boolean> {
    const sender = this.senders[message.channel];
    if (!sender) {
      return false;
    }
    const labels = { channel: message.channel, provider: sender.name };
    for (let attempt = 0; attempt <= this.config.sendRetries; attempt++) {
      try {
        await sender.send(message);
        return true;
      } catch (e) {
        // Provider errors may echo the request: the code never reaches the log.
        const reason = String((e as Error)?.message ?? e).replaceAll(message.code, '[code]');
        const last = attempt === this.config.sendRetries;
        this.sends.inc({ ...labels, outcome: last ? 'failed' : 'retried' });
        this.logger.warn(
          `${sender.name} ${message.channel} send for ${message.purpose} failed (attempt ${attempt + 1}): ${reason}`,
        );
        if (!last) {
          await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2 ** attempt));
        }
      }
    }
    return false;
  }

  /** Lets deliveries in flight finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    for (const sender of Object.values(this.senders)) {
      if (sender instanceof SmtpSender) {
        sender.close();
      }
    }
  }
}
