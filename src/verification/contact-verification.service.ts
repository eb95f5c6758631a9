import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  AuditService,
  type AuthUser,
  ReauthenticationService,
  type RequestContext,
  AppException,
  CoreErrors,
  type UserProfileDto,
  type Contact,
  UsersService,
} from '#src/platform/index.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import { CodeLimitsService } from '#src/verification/code-limits.service.js';
import { CodesService } from '#src/verification/codes.service.js';
import { DestinationService } from '#src/verification/destination.service.js';
import type { CodeSentDto } from '#src/verification/dto/code-sent.dto.js';
import { ContactChangeService } from '#src/verification/contact-change.service.js';
import type { Locale } from '#src/verification/senders/code-sender.js';
import verificationConfig from '#src/verification/verification.config.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

type ContactInput = { phone: string } | { email: string };

const contactOf = (input: ContactInput): Contact => ('phone' in input ? 'phone' : 'email');

/**
 * `POST /users/me/phone|email` and their `/verify` (SPEC §12): a contact becomes the account's, verified, only
 * through a code sent to it. One another account holds verified answers 409 before anything is sent; one held
 * unverified is taken over at the verify step, and audited. Asking for a code needs the password again, or a
 * recent session (SPEC §3); the verify step ends the other sessions and tells the contact it replaced.
 */
@Injectable()
export class ContactVerificationService {
  constructor(
    private readonly destinations: DestinationService,
    private readonly limits: CodeLimitsService,
    private readonly codes: CodesService,
    private readonly delivery: CodeDeliveryService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly reauth: ReauthenticationService,
    private readonly change: ContactChangeService,
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
  ) {}

  async send(
    caller: AuthUser,
    input: ContactInput & { password?: string },
    ctx: RequestContext,
    locale: Locale,
  ): Promise<CodeSentDto> {
    const contact = contactOf(input);
    const destination = this.destinations.forSending(input);
    this.delivery.assertEnabled(destination.channel);
    await this.reauth.assertReauthenticated(caller, input.password, ctx, 'contact_change');
    // SPEC §12: a per-account limit too, so one account cannot send to destination after destination.
    await this.limits.consume(destination.key, ctx.ip, caller.userId);
    this.delivery.requested(destination.channel);
    const holder = await this.users.findByIdentifier(contact === 'phone' ? { phone: destination.key } : input);
    if (holder && holder.id !== caller.userId && (contact === 'phone' ? holder.phoneVerified : holder.emailVerified)) {
      throw UsersService.taken(contact);
    }
    const purpose = contact === 'phone' ? 'verify_phone' : 'verify_email';
    await this.limits.takeGlobal();
    const code = await this.codes.issue(destination.channel, destination.key, purpose, caller.userId);
    await this.audit.record({
      type: VerificationAudit.code_sent,
      userId: caller.userId,
      identifier: destination.key,
      reason: purpose,
      ctx,
    });
    const message = { ...destination, purpose, code, locale, expires_in: this.config.codeTtl } as const;
    this.delivery.later(async () => {
      await this.delivery.deliver({ ...message, to: destination.to });
    });
    return { resend_after: this.config.resendInterval, expires_in: this.config.codeTtl };
  }

  async verify(
    caller: AuthUser,
    input: ContactInput & { code: string },
    ctx: RequestContext,
    locale: Locale,
  ): Promise<UserProfileDto> {
    const contact = contactOf(input);
    const destination = this.destinations.of(input);
    const purpose = contact === 'phone' ? 'verify_phone' : 'verify_email';
    await this.codes.confirm(destination.key, purpose, input.code, ctx, caller.userId);
    const before = await this.users.findById(caller.userId);
    if (!before) {
      throw new AppException(CoreErrors.TOKEN_REVOKED);
    }
    const { takenFrom } = await this.users.claimContact(caller.userId, contact, destination.to);
    if (takenFrom !== null) {
      await this.audit.record({
        type: VerificationAudit.contact_taken_over,
        userId: takenFrom,
        identifier: destination.key,
        reason: `${contact} taken by user ${caller.userId}`,
        ctx,
      });
    }
    await this.audit.record({
      type: VerificationAudit.contact_verified,
      userId: caller.userId,
      identifier: destination.key,
      reason: contact,
      ctx,
    });
    await this.change.changed(caller, before, { contact, value: destination.to }, ctx, locale);
    return this.users.getProfile(caller.userId);
  }
}
