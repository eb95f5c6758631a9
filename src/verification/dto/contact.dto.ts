import { IsEmail, Matches, MaxLength } from 'class-validator';
import { IsPhone, Trim } from '#src/common/validation/decorators.js';

/** `{phone}`: the number to prove. */
export class ContactPhoneDto {
  /** E.164, or a national number read in DEFAULT_PHONE_REGION. */
  @Trim()
  @IsPhone()
  phone: string;
}

/** `{email}`: the address to prove. */
export class ContactEmailDto {
  /** At most 254 characters. */
  @Trim()
  @MaxLength(254)
  @IsEmail()
  email: string;
}

/** `{phone, code}`. */
export class VerifyPhoneDto extends ContactPhoneDto {
  /** The digits received by SMS. */
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;
}

/** `{email, code}`. */
export class VerifyEmailDto extends ContactEmailDto {
  /** The digits received by email. */
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;
}
