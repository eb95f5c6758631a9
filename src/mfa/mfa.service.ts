import { Injectable } from '@nestjs/common';
import {
  PasswordService,
  AppException,
  CoreAudit,
  AuditService,
  type AuthUser,
  CoreErrors,
  type RequestContext,
  SessionsService,
  ThrottlingService,
  type User,
  UsersService,
} from '#src/platform/index.js';
import type { DisableTotpDto } from '#src/mfa/dto/disable-totp.dto.js';
import type { EnableTotpDto } from '#src/mfa/dto/enable-totp.dto.js';
import type { MfaVerifyDto } from '#src/mfa/dto/mfa-verify.dto.js';
import type { RecoveryCodesDto } from '#src/mfa/dto/recovery-codes.dto.js';
import { TOTP_CODE } from '#src/mfa/dto/totp-code.dto.js';
import type { TotpSetupDto } from '#src/mfa/dto/totp-setup.dto.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';
import { MfaErrors } from '#src/mfa/mfa.errors.js';
import { RecoveryCodesService } from '#src/mfa/recovery-codes.service.js';
import { TotpService } from '#src/mfa/totp.service.js';

const mfaInvalid = () => new AppException(MfaErrors.MFA_INVALID);
const alreadyEnabled = () => new AppException(MfaErrors.MFA_ALREADY_ENABLED);

/** TOTP enrolment and the second step of a login (SPEC §3). */
@Injectable()
export class MfaService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly challenges: MfaChallengeService,
    private readonly throttling: ThrottlingService,
  ) {}

  /** A new pending secret; again before enabling replaces it, after enabling is a 409. */
  async setup(caller: AuthUser): Promise<TotpSetupDto> {
    const user = await this.requireUser(caller.userId);
    if (user.totpEnabled) {
      throw alreadyEnabled();
    }
    const { secret, otpauthUrl, qrCode } = await this.totp.provision(user);
    return { secret, otpauth_url: otpauthUrl, qr_code: qrCode };
  }

  /**
   * Turns TOTP on once the password is given again (OWASP ASVS 5.0 V7.5.1: a stolen access token alone must not
   * enrol the attacker's authenticator and take the recovery codes) and a code proves the app holds the secret.
   * Ends the user's other sessions: they were opened with one factor (OWASP ASVS 5.0 V7.4.3).
   */
  async enable(caller: AuthUser, dto: EnableTotpDto, ctx: RequestContext): Promise<RecoveryCodesDto> {
    // The same budget as disable: password guesses here are bounded like there.
    await this.throttling.consumeMfaVerify(MfaService.budget(caller.userId), ctx, caller.userId);
    const user = await this.requireUser(caller.userId);
    if (user.totpEnabled) {
      throw alreadyEnabled();
    }
    if (!(await this.passwords.verify(user.passwordHash, dto.password))) {
      await this.recordFailure(user.id, caller.sessionId, 'enable_wrong_password', ctx);
      throw new AppException(CoreErrors.INVALID_CREDENTIALS, 'Wrong password');
    }
    if (!(await this.totp.check(user, dto.code))) {
      await this.recordFailure(
        user.id,
        caller.sessionId,
        user.totpSecret ? 'enable_wrong_code' : 'enable_no_setup',
        ctx,
      );
      throw mfaInvalid();
    }
    if (!(await this.totp.enable(user.id))) {
      throw alreadyEnabled();
    }
    await this.throttling.clearMfaVerify(MfaService.budget(user.id));
    const recoveryCodes = await this.recoveryCodes.regenerate(user.id);
    await this.sessions.revokeAllForUser(user.id, 'mfa_change', caller.sessionId);
    await this.audit.record({ type: CoreAudit.mfa_enable, userId: user.id, sessionId: caller.sessionId, ctx });
    return { recovery_codes: recoveryCodes };
  }

  /**
   * Needs the password and a second factor: a TOTP code, or a recovery code
   * for someone who lost the authenticator. Ends the other sessions too.
   */
  async disable(caller: AuthUser, dto: DisableTotpDto, ctx: RequestContext): Promise<void> {
    // Also bounds password guessing here, which the login limits do not see.
    await this.throttling.consumeMfaVerify(MfaService.budget(caller.userId), ctx, caller.userId);
    const user = await this.requireUser(caller.userId);
    if (!(await this.passwords.verify(user.passwordHash, dto.password))) {
      await this.recordFailure(user.id, caller.sessionId, 'disable_wrong_password', ctx);
      throw new AppException(CoreErrors.INVALID_CREDENTIALS, 'Wrong password');
    }
    const factor = TOTP_CODE.test(dto.code) ? { code: dto.code } : { recoveryCode: dto.code };
    if (!user.totpEnabled || !(await this.checkFactor(user, factor))) {
      await this.recordFailure(user.id, caller.sessionId, 'disable_wrong_code', ctx);
      throw mfaInvalid();
    }
    await this.totp.disable(user.id);
    await this.recoveryCodes.deleteAll(user.id);
    await this.throttling.clearMfaVerify(MfaService.budget(user.id));
    await this.sessions.revokeAllForUser(user.id, 'mfa_change', caller.sessionId);
    await this.audit.record({ type: CoreAudit.mfa_disable, userId: user.id, sessionId: caller.sessionId, ctx });
  }

  /**
   * Checks the second factor of a login that answered `mfa_required` and returns its user and the factor used.
   * `admits` is the admission service's check (disabled, IP allow-list), asked before any code is judged;
   * MfaLoginService passes it and then opens the session and audits `mfa_success` with its id.
   */
  async verify(
    dto: MfaVerifyDto,
    ctx: RequestContext,
    admits: (user: User) => Promise<void>,
  ): Promise<{ user: User; method: 'totp' | 'recovery_code' }> {
    const pending = await this.challenges.redeem(dto.mfa_token);
    // Per account, across mfa_tokens: a fresh login must not buy 5 more guesses (NIST SP 800-63B §5.2.2).
    await this.throttling.consumeMfaVerify(MfaService.budget(pending.userId), ctx, pending.userId);
    const user = await this.users.findById(pending.userId);
    if (!user || !user.totpEnabled) {
      throw new AppException(CoreErrors.TOKEN_INVALID);
    }
    // SPEC §9 (issue 15.9): disabled and the role's allow-list hold for the second factor too.
    await admits(user);
    const factor = dto.code !== undefined ? { code: dto.code } : { recoveryCode: dto.recovery_code ?? '' };
    const method = 'code' in factor ? 'totp' : 'recovery_code';
    if (!(await this.checkFactor(user, factor))) {
      await this.recordFailure(user.id, null, `wrong_${method}`, ctx);
      throw mfaInvalid();
    }
    if (!(await this.challenges.complete(pending))) {
      throw new AppException(CoreErrors.TOKEN_INVALID, 'This MFA token was already used; log in again');
    }
    await this.throttling.clearMfaVerify(MfaService.budget(user.id));
    return { user, method };
  }

  /**
   * SPEC §12 reclaim: a TOTP set before the proof of an unverified contact is removed, not asked for, with its
   * recovery codes and pending challenges.
   */
  async remove(userId: number): Promise<void> {
    await this.totp.disable(userId);
    await this.recoveryCodes.deleteAll(userId);
    await this.challenges.deleteForUser(userId);
  }

  private checkFactor(user: User, factor: { code: string } | { recoveryCode: string }): Promise<boolean> {
    return 'code' in factor
      ? this.totp.check(user, factor.code)
      : this.recoveryCodes.consume(user.id, factor.recoveryCode);
  }

  /** The SPEC §7 `/auth/mfa/verify` limit, kept per account; recovery-code regeneration spends it too. */
  static budget(userId: number): string {
    return `user:${userId}`;
  }

  private async requireUser(id: number): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) {
      throw new AppException(CoreErrors.NOT_FOUND, 'User not found');
    }
    return user;
  }

  private recordFailure(userId: number, sessionId: string | null, reason: string, ctx: RequestContext): Promise<void> {
    return this.audit.record({ type: CoreAudit.mfa_failure, userId, sessionId, reason, ctx });
  }
}
