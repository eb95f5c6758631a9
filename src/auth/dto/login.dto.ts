import { ValidateIf } from 'class-validator';
import { IsPassword, IsPhone, IsUsername, OptionalField, Trim } from '#src/common/validation/decorators.js';

/** `{username, password}` or `{phone, password}`. */
export class LoginDto {
  /** Required unless `phone` is sent. */
  @ValidateIf((dto: LoginDto) => dto.phone === undefined || dto.username !== undefined)
  @Trim()
  @IsUsername()
  username?: string;

  /** Log in by phone number instead of username. */
  @OptionalField()
  @Trim()
  @IsPhone()
  phone?: string;

  /** The account's password, exactly as typed. */
  @IsPassword()
  password: string;
}
