import { Injectable } from '@nestjs/common';
import {
  AdmissionService,
  AppException,
  AuditService,
  CoreErrors,
  type RequestContext,
  normalizePassword,
  PasswordService,
  type Identifier,
  UsersService,
} from '#src/platform/index.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import { codeInvalid, CodesService } from '#src/verification/codes.service.js';
import { ContactProofService } from '#src/verification/contact-proof.service.js';
import { DestinationService } from '#src/verification/destination.service.js';
import type { ResetPasswordDto } from '#src/verification/dto/reset-password.dto.js';
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
    private readonly proof: ContactProofService,
    private readonly admission: AdmissionService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A reset ends every session and pending MFA login (OWASP Forgot Password Cheat Sheet) and leaves TOTP on, unless
   * it reclaimed the account (SPEC §12). The DTO's new-password rules run before the code, so a refused password
   * does not spend it; the rule that needs the account (not the username) runs after the code, so a request
   * without one learns nothing about who holds the destination (issue 22, reset oracle).
   */
  async reset(dto: ResetPasswordDto, ctx: RequestContext): Promise<null> {
    const destination = this.destinations.of(dto);
    this.delivery.assertEnabled(destination.channel);
    const contact = destination.channel === 'sms' ? 'phone' : 'email';
    const user = await this.users.findByIdentifier({ [contact]: destination.key } as Identifier);
    await this.codes.confirm(destination.key, 'reset_password', dto.code, ctx, user?.id);
    if (!user) {
      throw codeInvalid();
    }
    if (normalizePassword(dto.new_password).toLowerCase() === user.username.toLowerCase()) {
      // NIST SP 800-63B §3.1.1.2: not the username (the DTO cannot see it).
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'new_password', rule: 'same_as_username' }],
      });
    }
    const passwordHash = await this.passwords.hash(dto.new_password);
    const proof = { identifier: destination.key, method: 'password_reset', passwordHash };
    if (!(await this.proof.prove(user, contact, ctx, proof))) {
      await this.users.setPasswordHash(user.id, passwordHash);
    }
    const ended = await this.admission.endSessions(user.id, 'password_reset');
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
