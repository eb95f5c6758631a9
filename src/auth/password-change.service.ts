import { Injectable } from '@nestjs/common';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AdmissionService } from '#src/auth/admission.service.js';
import { ReauthenticationService } from '#src/auth/reauthentication.service.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { normalizePassword, PasswordService } from '#src/passwords/password.service.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import type { ChangePasswordDto } from '#src/users/dto/change-password.dto.js';
import { UsersService } from '#src/users/users.service.js';

/** `PUT /users/me/password`: proves the current password, stores the new one, ends the other sessions. */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly admission: AdmissionService,
    private readonly reauth: ReauthenticationService,
    private readonly audit: AuditService,
  ) {}

  /**
   * OWASP ASVS 5.0 V6.2.3: changing a password requires the current one, and
   * a wrong one counts against the account's brute-force limits like a failed
   * login, so a stolen access token cannot be used to guess it. Every other
   * session ends (OWASP Session Management Cheat Sheet: renew on privilege change).
   */
  async change(caller: AuthUser, dto: ChangePasswordDto, ctx: RequestContext): Promise<void> {
    const user = await this.users.findById(caller.userId);
    if (!user) {
      throw new AppException(CoreErrors.TOKEN_REVOKED);
    }
    // NIST SP 800-63B §3.1.1.2: not the username (the DTO cannot see it, so it is checked here).
    if (normalizePassword(dto.new_password).toLowerCase() === user.username.toLowerCase()) {
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'new_password', rule: 'same_as_username' }],
      });
    }
    await this.reauth.provePassword(user, dto.current_password, ctx, 'password_change_wrong_password');
    await this.users.setPasswordHash(user.id, await this.passwords.hash(dto.new_password));
    // The other sessions and any pending MFA login opened with the old password end (issue 22).
    const ended = await this.admission.endSessions(user.id, 'password_change', caller.sessionId);
    await this.audit.record({
      type: CoreAudit.password_change,
      userId: user.id,
      sessionId: caller.sessionId,
      reason: `${ended.length} other sessions ended`,
      ctx,
    });
  }
}
