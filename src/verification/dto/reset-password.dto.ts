import { IsEmail, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsNewPassword, IsPhone, OptionalField, Trim } from '#src/common/validation/decorators.js';

/** `{phone | email, code, new_password}` (SPEC §3). */
export class ResetPasswordDto {
  /** The phone the code was sent to; required unless `email` is sent. */
  @ValidateIf((dto: ResetPasswordDto) => dto.email === undefined || dto.phone !== undefined)
  @Trim()
  @IsPhone()
  phone?: string;

  /** The email the code was sent to. */
  @OptionalField()
  @Trim()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  /** The digits received. */
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;

  /** The new-password rules apply (SPEC §4); a refused one leaves the code untouched. */
  @IsNewPassword()
  new_password: string;
}
