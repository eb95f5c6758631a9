import { IsEmail, MaxLength, ValidateIf } from 'class-validator';
import { IsPassword, IsPhone, IsUsername, OptionalField, Trim } from '#src/common/validation/decorators.js';

/** `{username, password}`, `{phone, password}` or `{email, password}`. */
export class LoginDto {
  /** Required unless `phone` or `email` is sent. */
  @ValidateIf((dto: LoginDto) => (dto.phone === undefined && dto.email === undefined) || dto.username !== undefined)
  @Trim()
  @IsUsername()
  username?: string;

  /** Log in by phone number instead of username. */
  @OptionalField()
  @Trim()
  @IsPhone()
  phone?: string;

  /** Log in by email address instead (SPEC §3); verified or not. */
  @OptionalField()
  @Trim()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  /** The account's password, exactly as typed. */
  @IsPassword()
  password: string;
}
