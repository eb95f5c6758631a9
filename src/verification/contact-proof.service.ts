import { Injectable } from '@nestjs/common';
import {
  AdmissionService,
  AuditService,
  type RequestContext,
  type User,
  type Contact,
  UsersService,
} from '#src/platform/index.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

/**
 * A code login or reset proves the phone or email the code went to (SPEC §12): it becomes verified. When it was
 * unverified on its account, the admission service reclaims the account for the prover.
 */
@Injectable()
export class ContactProofService {
  constructor(
    private readonly users: UsersService,
    private readonly admission: AdmissionService,
    private readonly audit: AuditService,
  ) {}

  /**
   * `proof.passwordHash` is the account's password after the proof: '' for a code login (none), the new one for a
   * reset; it is set only when the account is reclaimed. Answers whether it was.
   */
  async prove(
    user: User,
    contact: Contact,
    ctx: RequestContext,
    proof: { identifier: string; method: string; passwordHash: string },
  ): Promise<boolean> {
    if (contact === 'phone' ? user.phoneVerified : user.emailVerified) {
      return false;
    }
    await this.users.markContactVerified(user.id, contact);
    await this.audit.record({
      type: VerificationAudit.contact_verified,
      userId: user.id,
      identifier: contact === 'phone' ? user.phone : user.emailNormalized,
      reason: contact,
      ctx,
    });
    // A contact already verified on its account reclaims nothing (above).
    await this.admission.reclaim(user, ctx, proof);
    return true;
  }
}
