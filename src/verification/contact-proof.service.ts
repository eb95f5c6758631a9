import { Injectable } from '@nestjs/common';
import type { User } from '#src/users/entities/user.entity.js';
import { type Contact, UsersService } from '#src/users/users.service.js';
import { AuditService, type RequestContext } from '#src/platform/index.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

/** A code login or reset proves the phone or email the code went to (SPEC §12): it becomes verified. */
@Injectable()
export class ContactProofService {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async prove(user: User, contact: Contact, ctx: RequestContext): Promise<void> {
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
