import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  AuditService,
  type AuthUser,
  type RequestContext,
  SessionsService,
  type User,
  type Contact,
} from '#src/platform/index.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import type { Locale } from '#src/verification/senders/code-sender.js';
import verificationConfig from '#src/verification/verification.config.js';
import { VerificationAudit } from '#src/verification/verification.audit.js';

/**
 * What follows a contact change (SPEC §3): the account's recovery now goes elsewhere, so every other session ends
 * (OWASP Session Management Cheat Sheet: renew on privilege change) and the verified contact it replaced is told
 * (OWASP ASVS 5.0 V6.3.7: notify the user after a change of authentication details), so a takeover with a stolen
 * token does not go unnoticed.
 */
@Injectable()
export class ContactChangeService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly delivery: CodeDeliveryService,
    private readonly audit: AuditService,
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
  ) {}

  /** `before` is the account as it was before `contact` was set to `value`. */
  async changed(
    caller: AuthUser,
    before: User,
    change: { contact: Contact; value: string },
    ctx: RequestContext,
    locale: Locale,
  ): Promise<void> {
    const ended = await this.sessions.revokeAllForUser(caller.userId, 'contact_change', caller.sessionId);
    const replaced = ContactChangeService.replacedContact(before, change);
    await this.audit.record({
      type: VerificationAudit.contact_change,
      userId: caller.userId,
      sessionId: caller.sessionId,
      identifier: change.value,
      reason: `${change.contact} set; ${ended.length} other sessions ended${replaced ? '; old contact told' : ''}`,
      ctx,
    });
    if (replaced) {
      const channel = change.contact === 'phone' ? 'sms' : 'email';
      const notice = { channel, to: replaced, purpose: 'contact_changed', code: '', locale } as const;
      this.delivery.later(async () => {
        await this.delivery.deliver({ ...notice, expires_in: this.config.codeTtl });
      });
    }
  }

  /** The verified phone or email the change replaced, as stored; null when there was none or it is the same. */
  private static replacedContact(before: User, change: { contact: Contact; value: string }): string | null {
    const [old, verified] =
      change.contact === 'phone' ? [before.phone, before.phoneVerified] : [before.email, before.emailVerified];
    const same = change.contact === 'phone' ? old === change.value : old?.toLowerCase() === change.value.toLowerCase();
    return old && verified && !same ? old : null;
  }
}
