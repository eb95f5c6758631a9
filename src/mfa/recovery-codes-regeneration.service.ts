import { Injectable } from '@nestjs/common';
import type { RecoveryCodesDto } from '#src/mfa/dto/recovery-codes.dto.js';
import type { RegenerateRecoveryCodesDto } from '#src/mfa/dto/regenerate-recovery-codes.dto.js';
import { MfaErrors } from '#src/mfa/mfa.errors.js';
import { MfaService } from '#src/mfa/mfa.service.js';
import { RecoveryCodesService } from '#src/mfa/recovery-codes.service.js';
import { TotpService } from '#src/mfa/totp.service.js';
import {
  PasswordService,
  AppException,
  CoreAudit,
  defineAuditEventTypes,
  AuditService,
  type AuthUser,
  CoreErrors,
  type RequestContext,
  ThrottlingService,
  UsersService,
} from '#src/platform/index.js';
// mfa/ sits below auth/, which the barrel re-exports: it imports core directly (see platform/index.ts).

/** The MFA module's own audit types (SPEC §8, §13). */
export const RecoveryCodesAudit = defineAuditEventTypes(['recovery_codes_regenerated']);

/**
 * New recovery codes for a user who spent or lost theirs, without turning TOTP off and on (Keycloak and Logto offer
 * the same). Shown once; the old ones stop working at once.
 */
@Injectable()
export class RecoveryCodesRegenerationService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly throttling: ThrottlingService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Needs the password (OWASP ASVS 5.0 V7.5.1: a stolen access token alone must not read out a second factor) and a
   * current TOTP code: recovery codes stand in for a lost authenticator, so one leaked code cannot mint ten more.
   * Guesses of either spend the account's MFA budget, shared with enable, disable and verify (NIST SP 800-63B §5.2.2).
   */
  async regenerate(caller: AuthUser, dto: RegenerateRecoveryCodesDto, ctx: RequestContext): Promise<RecoveryCodesDto> {
    const budget = MfaService.budget(caller.userId);
    await this.throttling.consumeMfaVerify(budget, ctx, caller.userId);
    const user = await this.users.findById(caller.userId);
    if (!user) {
      throw new AppException(CoreErrors.NOT_FOUND, 'User not found');
    }
    const failure = (reason: string) =>
      this.audit.record({ type: CoreAudit.mfa_failure, userId: user.id, sessionId: caller.sessionId, reason, ctx });
    if (!(await this.passwords.verify(user.passwordHash, dto.password))) {
      await failure('recovery_codes_wrong_password');
      throw new AppException(CoreErrors.INVALID_CREDENTIALS, 'Wrong password');
    }
    if (!user.totpEnabled || !(await this.totp.check(user, dto.code))) {
      await failure('recovery_codes_wrong_code');
      throw new AppException(MfaErrors.MFA_INVALID);
    }
    await this.throttling.clearMfaVerify(budget);
    const codes = await this.recoveryCodes.regenerate(user.id);
    await this.audit.record({
      type: RecoveryCodesAudit.recovery_codes_regenerated,
      userId: user.id,
      sessionId: caller.sessionId,
      ctx,
    });
    return { recovery_codes: codes };
  }
}
