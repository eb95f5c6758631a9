import { IsEmail, IsIn, MaxLength, ValidateIf } from 'class-validator';
import { IsPhone, OptionalField, Trim } from '#src/common/validation/decorators.js';

/** `{purpose: "login", phone}` or `{purpose: "reset_password", phone | email}` (SPEC §3). */
export class RequestCodeDto {
  /** `login` (phone only) or `reset_password`. */
  @IsIn(['login', 'reset_password'])
  purpose: 'login' | 'reset_password';

  /** E.164, or a national number read in DEFAULT_PHONE_REGION. Required unless `email` is sent. */
  @ValidateIf((dto: RequestCodeDto) => dto.email === undefined || dto.phone !== undefined)
  @Trim()
  @IsPhone()
  phone?: string;

  /** For `reset_password` only, instead of `phone`. */
  @OptionalField()
  @Trim()
  @MaxLength(254)
  @IsEmail()
  email?: string;
}
