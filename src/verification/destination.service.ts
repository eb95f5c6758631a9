import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { canonicalEmail } from '#src/users/canonical.js';
import { UsersService } from '#src/users/users.service.js';
import verificationConfig, { type Channel } from '#src/verification/verification.config.js';
import { AppException, CoreErrors, defineValidationRules } from '#src/platform/index.js';

// A rule of the module's own (SPEC §14), so the "not both" field error has a stable code and a zh-CN message.
defineValidationRules({ phone_or_email: { params: [] } });

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
   * SMS goes only to SMS_ALLOWED_REGIONS: SMS pumping (toll fraud) runs up bills through premium foreign
   * numbers (OWASP Forgot Password Cheat Sheet; Twilio "SMS pumping fraud"). A 400 on `phone`, before any limit.
   */
  forSending(input: { phone?: string; email?: string }): Destination {
    const destination = this.of(input);
    if (destination.channel === 'sms') {
      const region = parsePhoneNumberFromString(destination.key)?.country;
      if (!region || !this.config.smsAllowedRegions.includes(region)) {
        throw new AppException(CoreErrors.VALIDATION_FAILED, {
          errors: [
            {
              field: 'phone',
              message: `phone must be in a region codes are sent to (${this.config.smsAllowedRegions.join(', ')})`,
            },
          ],
        });
      }
    }
    return destination;
  }
}
