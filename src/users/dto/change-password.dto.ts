import { IsNewPassword, IsPassword } from '#src/common/validation/decorators.js';

/** `PUT /users/me/password`. */
export class ChangePasswordDto {
  /** The password in use now, exactly as typed. */
  @IsPassword()
  current_password: string;

  /** 6–128 characters counted after NFKC; not a common password and not the username. */
  @IsNewPassword()
  new_password: string;
}
