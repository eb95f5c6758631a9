import { IsOptional, Matches } from 'class-validator';
import {
  ApiEmailField,
  IsPassword,
  IsPhone,
  Trim,
  ApiCodeField,
  ApiPhoneField,
  DEMO_PASSWORD,
} from '#src/platform/index.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The account's password, asked again before a contact change (SPEC §3, OWASP ASVS 5.0 V7.5.1). An account
 * without one leaves it out and needs a session opened less than REAUTH_WINDOW ago instead.
 */
class Reauthenticated {
  @ApiPropertyOptional({ type: String, format: 'password', minLength: 1, maxLength: 128, example: DEMO_PASSWORD })
  @IsOptional()
  @IsPassword()
  password?: string;
}

/** `{phone, password}`: the number to prove. */
export class ContactPhoneDto extends Reauthenticated {
  /** E.164, or a national number read in DEFAULT_PHONE_REGION. */
  @ApiPhoneField({ required: true })
  @Trim()
  @IsPhone()
  phone: string;
}

/** `{email, password}`: the address to prove. */
export class ContactEmailDto extends Reauthenticated {
  /** At most 254 characters. */
  @ApiEmailField({ required: true })
  email: string;
}

/** `{phone, code}`. */
export class VerifyPhoneDto extends ContactPhoneDto {
  /** The digits received by SMS. */
  @ApiCodeField()
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;
}

/** `{email, code}`. */
export class VerifyEmailDto extends ContactEmailDto {
  /** The digits received by email. */
  @ApiCodeField()
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;
}
