import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
// The full metadata: the default (min) set cannot tell a mobile number from a fixed line or shared-cost one.
import { type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AppException, CoreErrors, defineValidationRules, canonicalEmail, UsersService } from '#src/platform/index.js';
import verificationConfig, { type Channel } from '#src/verification/verification.config.js';

// Rules of the module's own (SPEC §14), so these field errors have a stable code and a zh-CN message.
defineValidationRules({ phone_or_email: { params: [] }, mobile_only: { params: [] } });

/** Number types that receive SMS (SPEC §12); `fixed_line_or_mobile` is how some plans (e.g. NANP) cannot be told apart. */
const MOBILE_TYPES: ReadonlySet<NumberType> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

export interface Destination {
  channel: Channel;
  /** E.164 phone or lower-cased email: the key of codes and limits. */
  key: string;
  /** Where the message goes, as the user typed it (trimmed). */
  to: string;
}

/** Turns a `phone` or `email` field into the one form codes and limits are keyed by. */
@Injectable()
export class DestinationService {
  constructor(
    private readonly users: UsersService,
    @Inject(verificationConfig.KEY) private readonly config: ConfigType<typeof verificationConfig>,
  ) {}

  of(input: { phone?: string; email?: string }): Destination {
    if (input.phone !== undefined && input.email !== undefined) {
      throw new AppException(CoreErrors.VALIDATION_FAILED, {
        errors: [{ field: 'email', rule: 'phone_or_email' }],
      });
    }
    if (input.phone !== undefined) {
      const key = this.users.toE164(input.phone);
      return { channel: 'sms', key, to: key };
    }
    return { channel: 'email', key: canonicalEmail(input.email!), to: input.email!.trim() };
  }

  /**
   * SMS goes only to mobile numbers in SMS_ALLOWED_REGIONS: SMS pumping (toll fraud) runs up bills through premium
   * foreign, fixed-line and shared-cost numbers (OWASP Forgot Password Cheat Sheet; OWASP Automated Threats
   * OAT-009 / SMS toll fraud). A 400 on `phone`, before any limit.
   */
  forSending(input: { phone?: string; email?: string }): Destination {
    const destination = this.of(input);
    if (destination.channel === 'sms') {
      const parsed = parsePhoneNumberFromString(destination.key);
      const region = parsed?.country;
      if (!region || !this.config.smsAllowedRegions.includes(region)) {
        throw DestinationService.refused('region_not_allowed', { region: region ?? 'unknown' });
      }
      const type = parsed?.getType();
      if (!type || !MOBILE_TYPES.has(type)) {
        throw DestinationService.refused('mobile_only', {});
      }
    }
    return destination;
  }

  private static refused(rule: string, params: Record<string, string>): AppException {
    return new AppException(CoreErrors.VALIDATION_FAILED, { errors: [{ field: 'phone', rule, params }] });
  }
}
