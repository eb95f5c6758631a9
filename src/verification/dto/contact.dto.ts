import { IsEmail, Matches, MaxLength } from 'class-validator';
import { IsPhone, Trim } from '#src/common/validation/decorators.js';
import { ApiCodeField, ApiPhoneField } from '#src/common/decorators/api-fields.js';
import { ApiProperty } from '@nestjs/swagger';

/** `{phone}`: the number to prove. */
export class ContactPhoneDto {
  /** E.164, or a national number read in DEFAULT_PHONE_REGION. */
  @ApiPhoneField({ required: true })
  @Trim()
  @IsPhone()
  phone: string;
}

/** `{email}`: the address to prove. */
export class ContactEmailDto {
  /** At most 254 characters. */
  @ApiProperty({ format: 'email', maxLength: 254, example: 'alice@example.com' })
  @Trim()
  @MaxLength(254)
  @IsEmail()
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
