import { Injectable } from '@nestjs/common';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AdmissionService } from '#src/auth/admission.service.js';
import { AuthErrors } from '#src/auth/auth.errors.js';
import { AppException } from '#src/common/app.exception.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import { PasswordService } from '#src/passwords/password.service.js';
import { ThrottlingService } from '#src/throttling/throttling.service.js';
import type { User } from '#src/users/entities/user.entity.js';
import { UsersService } from '#src/users/users.service.js';

/**
 * A sensitive change asks who is there again (OWASP ASVS 5.0 V7.5.1: a stolen access token alone must not change
 * how the account is recovered): the password, or, for an account without one, a session opened moments ago.
 */
@Injectable()
export class ReauthenticationService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly throttling: ThrottlingService,
    private readonly audit: AuditService,
    private readonly admission: AdmissionService,
  ) {}

  /**
   * SPEC §3: with a password, the password (none sent: 401 REAUTH_REQUIRED; wrong: 401 INVALID_CREDENTIALS on the
   * password-change budget); without one, a session younger than REAUTH_WINDOW (else 401 REAUTH_REQUIRED).
   * `action` names the change in the audit reason of a wrong password.
   */
  async assertReauthenticated(
    caller: AuthUser,
    password: string | undefined,
    ctx: RequestContext,
    action: string,
  ): Promise<User> {
    const user = await this.users.findById(caller.userId);
    if (!user) {
      throw new AppException(CoreErrors.TOKEN_REVOKED);
    }
    if (!PasswordService.isUsableHash(user.passwordHash)) {
      await this.admission.assertRecentAuthentication(caller);
      return user;
    }
    if (password === undefined) {
      throw new AppException(AuthErrors.REAUTH_REQUIRED, 'Send your password to make this change');
    }
    await this.provePassword(user, password, ctx, `${action}_wrong_password`);
    return user;
  }

  /**
   * OWASP ASVS 5.0 V6.2.3: a password asked again counts against the account's brute-force limits like a failed
   * login (the password-change budget), so a stolen access token cannot be used to guess it.
   */
  async provePassword(user: User, password: string, ctx: RequestContext, failureReason: string): Promise<void> {
    const attempt = await this.throttling.reserveLogin(
      { userId: user.id, identifier: { username: user.username } },
      ctx,
    );
    let valid: boolean;
    try {
      valid = await this.passwords.verify(user.passwordHash, password);
    } catch (e) {
      await this.throttling.loginAborted(attempt);
      throw e;
    }
    if (!valid) {
      await this.throttling.loginFailed(attempt, ctx);
      await this.audit.record({
        type: CoreAudit.login_failure,
        userId: user.id,
        identifier: user.username,
        reason: failureReason,
        ctx,
      });
      throw new AppException(CoreErrors.INVALID_CREDENTIALS, 'The current password is wrong');
    }
    await this.throttling.loginSucceeded(attempt);
  }
}
