import { Matches } from 'class-validator';
import { ApiCodeField, ApiPasswordField, IsNewPassword } from '#src/platform/index.js';
import { DestinationDto } from '#src/verification/dto/destination.dto.js';

/** `{phone | email, code, new_password}`. */
export class ResetPasswordDto extends DestinationDto {
  /** The digits received. */
  @ApiCodeField()
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;

  /** The new-password rules apply; a refused one leaves the code untouched. */
  @ApiPasswordField('Gatehouse-Demo-2027')
  @IsNewPassword()
  new_password: string;
}
