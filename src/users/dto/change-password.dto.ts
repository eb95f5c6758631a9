import { IsNewPassword, IsPassword } from '#src/common/validation/decorators.js';
import { ApiPasswordField } from '#src/common/decorators/api-fields.js';

/** `PUT /users/me/password`. */
export class ChangePasswordDto {
  /** The password in use now, exactly as typed. */
  @ApiPasswordField()
  @IsPassword()
  current_password: string;

  /** 6–128 characters counted after NFKC; not a common password and not the username. */
  @ApiPasswordField('Gatehouse-Demo-2027')
  @IsNewPassword()
  new_password: string;
}
