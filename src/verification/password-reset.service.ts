import { Injectable } from '@nestjs/common';
import { PasswordService } from '#src/passwords/password.service.js';
import { SessionsService } from '#src/sessions/sessions.service.js';
import { UsersService } from '#src/users/users.service.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import { codeInvalid, CodesService } from '#src/verification/codes.service.js';
import { ContactProofService } from '#src/verification/contact-proof.service.js';
import { DestinationService } from '#src/verification/destination.service.js';
import type { ResetPasswordDto } from '#src/verification/dto/reset-password.dto.js';
import { AppException, AuditService, CoreErrors, type RequestContext } from '#src/platform/index.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

/** `POST /auth/password/reset`: a `reset_password` code sets a new password (SPEC §3, §12). */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly destinations: DestinationService,
    private readonly delivery: CodeDeliveryService,
    private readonly codes: CodesService,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly proof: ContactProofService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A reset ends every session (OWASP Forgot Password Cheat Sheet) and leaves TOTP on. The new-password rules are
   * checked before the code, so a refused password does not spend it (SPEC §12).
   */
  async reset(dto: ResetPasswordDto, ctx: RequestContext): Promise<null> {
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
    await this.proof.prove(user, destination.channel === 'sms' ? 'phone' : 'email', ctx);
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
}
