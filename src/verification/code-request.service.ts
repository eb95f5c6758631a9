import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AppException, AuditService, CoreErrors, type RequestContext, UsersService } from '#src/platform/index.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import { CodeLimitsService } from '#src/verification/code-limits.service.js';
import { CodesService } from '#src/verification/codes.service.js';
import { type Destination, DestinationService } from '#src/verification/destination.service.js';
import type { CodeSentDto } from '#src/verification/dto/code-sent.dto.js';
import type { RequestCodeDto } from '#src/verification/dto/request-code.dto.js';
import type { Locale } from '#src/verification/senders/code-sender.js';
import verificationConfig, { type Purpose } from '#src/verification/verification.config.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

/** `POST /auth/codes`: a `login` or `reset_password` code, sent only when an account holds the destination. */
@Injectable()
export class CodeRequestService {
  constructor(
    private readonly destinations: DestinationService,
    private readonly limits: CodeLimitsService,
    private readonly codes: CodesService,
    private readonly delivery: CodeDeliveryService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
  ) {}

  /**
   * The same body and status, after the same work, for a known and an unknown destination (OWASP Forgot Password
   * Cheat Sheet: "return a consistent message for both existent and non-existent accounts"): the account lookup,
   * the code and the send all happen after the answer.
   */
  async request(dto: RequestCodeDto, ctx: RequestContext, locale: Locale): Promise<CodeSentDto> {
    if (dto.purpose === 'login' && dto.phone === undefined) {
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'phone', message: 'phone is required to log in with a code' }],
      });
    }
    const destination = this.destinations.forSending(dto);
    this.delivery.assertEnabled(destination.channel);
    await this.limits.consume(destination.key, ctx.ip);
    this.delivery.requested(destination.channel);
    this.delivery.later(() => this.sendIfHeld(destination, dto.purpose, ctx, locale));
    return { resend_after: this.config.resendInterval, expires_in: this.config.codeTtl };
  }

  private async sendIfHeld(destination: Destination, purpose: Purpose, ctx: RequestContext, locale: Locale) {
    const contact = destination.channel === 'sms' ? { phone: destination.key } : { email: destination.key };
    const user = await this.users.findByIdentifier(contact);
    const signUp = !user && purpose === 'login' && this.config.smsLoginSignup;
    // SPEC §12: the global cap counts codes actually sent, so requests for destinations nobody holds cannot use it up.
    if (((!user || user.disabled) && !signUp) || !(await this.limits.spendGlobal())) {
      return;
    }
    // SPEC §12: bound to the account the destination resolved to, so a contact that changes hands meanwhile does not
    // carry the code to its new holder (a code sign-up has no account yet and stays unbound).
    const code = await this.codes.issue(destination.channel, destination.key, purpose, user?.id ?? null);
    await this.audit.record({
      type: VerificationAudit.code_sent,
      userId: user?.id ?? null,
      identifier: destination.key,
      reason: purpose,
      ctx,
    });
    // SPEC §12 (issue 22): to the phone or email stored on the account the destination resolved to, never the
    // string typed, so a look-alike that a lookup matched cannot receive the account's code.
    const stored = destination.channel === 'sms' ? user?.phone : user?.email;
    await this.delivery.deliver({
      channel: destination.channel,
      to: stored ?? destination.to,
      purpose,
      code,
      locale,
      expires_in: this.config.codeTtl,
    });
  }
}
