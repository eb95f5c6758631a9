import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { AuthService } from '#src/auth/auth.service.js';
import type { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
import { PasswordService } from '#src/passwords/password.service.js';
import { IpAllowlistService } from '#src/ip-allowlist/ip-allowlist.service.js';
import type { MfaChallengeDto } from '#src/mfa/dto/mfa-challenge.dto.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';
import { SessionsService } from '#src/sessions/sessions.service.js';
import type { User } from '#src/users/entities/user.entity.js';
import { UsersService } from '#src/users/users.service.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import { CodeLimitsService } from '#src/verification/code-limits.service.js';
import { codeInvalid, CodesService } from '#src/verification/codes.service.js';
import { type Destination, DestinationService } from '#src/verification/destination.service.js';
import type { CodeLoginDto } from '#src/verification/dto/code-login.dto.js';
import type { CodeSentDto } from '#src/verification/dto/code-sent.dto.js';
import type { RequestCodeDto } from '#src/verification/dto/request-code.dto.js';
import type { ResetPasswordDto } from '#src/verification/dto/reset-password.dto.js';
import type { Locale } from '#src/verification/senders/code-sender.js';
import verificationConfig, { type Purpose } from '#src/verification/verification.config.js';
import { AppException, AuditEventType, AuditService, CoreErrors, type RequestContext } from '#src/platform/index.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

/** The public code flows: request a code, log in with it, reset a forgotten password (SPEC §3, §12). */
@Injectable()
export class CodeLoginService {
  constructor(
    private readonly destinations: DestinationService,
    private readonly limits: CodeLimitsService,
    private readonly codes: CodesService,
    private readonly delivery: CodeDeliveryService,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly mfaChallenges: MfaChallengeService,
    private readonly allowlist: IpAllowlistService,
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

  async login(dto: CodeLoginDto, ctx: RequestContext): Promise<LoginResponseDto | MfaChallengeDto> {
    this.delivery.assertEnabled('sms');
    const destination = this.destinations.of(dto);
    let user = await this.users.findByIdentifier({ phone: destination.key });
    await this.codes.confirm(destination.key, 'login', dto.code, ctx, user?.id);
    if (!user && this.config.smsLoginSignup) {
      user = await this.signUp(destination.key, ctx);
    }
    if (!user || user.disabled || !this.allowlist.isAllowed(user.role, ctx.ip)) {
      const reason = !user ? 'unknown_identifier' : user.disabled ? 'disabled' : 'ip_not_allowed';
      const type = reason === 'ip_not_allowed' ? AuditEventType.IpNotAllowed : AuditEventType.LoginFailure;
      await this.audit.record({ type, userId: user?.id, identifier: destination.key, reason, ctx });
      // SPEC §9: a refused login answers exactly like a wrong code.
      throw codeInvalid();
    }
    await this.proveContact(user, 'phone', ctx);
    if (user.totpEnabled) {
      // SPEC §3: a code proves the phone, not the second factor.
      return this.mfaChallenges.issue(user, destination.key, ctx);
    }
    return this.auth.completeLogin(user, destination.key, ctx);
  }

  /**
   * A reset ends every session (OWASP Forgot Password Cheat Sheet) and leaves TOTP on. The new-password rules are
   * checked before the code, so a refused password does not spend it (SPEC §12).
   */
  async resetPassword(dto: ResetPasswordDto, ctx: RequestContext): Promise<null> {
    const destination = this.destinations.of(dto);
    this.delivery.assertEnabled(destination.channel);
    const contact = destination.channel === 'sms' ? ({ phone: destination.key } as const) : { email: destination.key };
    const user = await this.users.findByIdentifier(contact);
    if (user && dto.new_password.normalize('NFKC').toLowerCase() === user.username.toLowerCase()) {
      // NIST SP 800-63B §3.1.1.2: not the username (the DTO cannot see it).
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'new_password', message: 'password must not be the same as the username' }],
      });
    }
    await this.codes.confirm(destination.key, 'reset_password', dto.code, ctx, user?.id);
    if (!user) {
      throw codeInvalid();
    }
    await this.users.setPasswordHash(user.id, await this.passwords.hash(dto.new_password));
    await this.proveContact(user, destination.channel === 'sms' ? 'phone' : 'email', ctx);
    const ended = await this.sessions.revokeAllForUser(user.id, 'password_reset');
    await this.audit.record({
      type: VerificationAudit.password_reset,
      userId: user.id,
      identifier: destination.key,
      reason: `${ended.length} sessions ended`,
      ctx,
    });
    return null;
  }

  private async sendIfHeld(destination: Destination, purpose: Purpose, ctx: RequestContext, locale: Locale) {
    const contact = destination.channel === 'sms' ? { phone: destination.key } : { email: destination.key };
    const user = await this.users.findByIdentifier(contact);
    const signUp = !user && purpose === 'login' && this.config.smsLoginSignup;
    if (((!user || user.disabled) && !signUp) || !(await this.limits.spendGlobal())) {
      return;
    }
    const code = await this.codes.issue(destination.channel, destination.key, purpose);
    await this.audit.record({
      type: VerificationAudit.code_sent,
      userId: user?.id ?? null,
      identifier: destination.key,
      reason: purpose,
      ctx,
    });
    await this.delivery.deliver({
      channel: destination.channel,
      to: destination.to,
      purpose,
      code,
      locale,
      expires_in: this.config.codeTtl,
    });
  }

  /** SPEC §12: a first code login creates the account, its phone proven, with no password until a reset. */
  private async signUp(phone: string, ctx: RequestContext): Promise<User> {
    const username = `user_${randomBytes(6).toString('hex')}`;
    // An empty hash matches no password: password login stays refused until a reset sets one.
    const user = await this.users.create({ username, passwordHash: '', phone, phoneVerified: true });
    await this.audit.record({ type: AuditEventType.Register, userId: user.id, identifier: phone, reason: 'code', ctx });
    return user;
  }

  private async proveContact(user: User, contact: 'phone' | 'email', ctx: RequestContext): Promise<void> {
    if (contact === 'phone' ? user.phoneVerified : user.emailVerified) {
      return;
    }
    await this.users.markContactVerified(user.id, contact);
    await this.audit.record({
      type: VerificationAudit.contact_verified,
      userId: user.id,
      identifier: contact === 'phone' ? user.phone : user.emailNormalized,
      reason: contact,
      ctx,
    });
  }
}
