import { Injectable } from '@nestjs/common';
import { RecoveryCodesService } from '#src/mfa/recovery-codes.service.js';
import { TotpService } from '#src/mfa/totp.service.js';
// mfa/ sits below auth/, which the barrel re-exports: it imports core directly (see platform/index.ts).
import {
  AppException,
  CoreAudit,
  AuditService,
  type AuthUser,
  CoreErrors,
  type RequestContext,
  UsersService,
} from '#src/platform/index.js';

/**
 * An operator removes a user's TOTP (the user lost the authenticator and the recovery codes): the secret and the
 * recovery codes are deleted, so the next login asks for the password alone until the user enrols again. Audited
 * with the acting admin (OWASP ASVS 5.0 V6.4.x: authenticator reset is an administrative, logged action). Open
 * `mfa_token`s die with it: /auth/mfa/verify refuses a user without TOTP.
 */
@Injectable()
export class MfaResetService {
  constructor(
    private readonly users: UsersService,
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly audit: AuditService,
  ) {}

  async reset(admin: AuthUser, userId: number, ctx: RequestContext): Promise<null> {
    const user = await this.users.findById(userId);
    if (!user) {
      throw new AppException(CoreErrors.NOT_FOUND, 'User not found');
    }
    await this.totp.disable(user.id);
    await this.recoveryCodes.deleteAll(user.id);
    await this.audit.record({
      type: CoreAudit.admin_action,
      userId: admin.userId,
      identifier: user.username,
      sessionId: admin.sessionId,
      reason: `user ${user.id} mfa-reset${user.totpEnabled ? '' : ' (was off)'}`,
      ctx,
    });
    return null;
  }
}
