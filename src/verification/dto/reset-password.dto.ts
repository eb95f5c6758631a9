import { IsEmail, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsNewPassword, IsPhone, OptionalField, Trim } from '#src/common/validation/decorators.js';
import { ApiCodeField, ApiPasswordField, ApiPhoneField } from '#src/common/decorators/api-fields.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** `{phone | email, code, new_password}`. */
export class ResetPasswordDto {
  /** The phone the code was sent to; required unless `email` is sent. */
  @ValidateIf((dto: ResetPasswordDto) => dto.email === undefined || dto.phone !== undefined)
  @ApiPhoneField({ required: false })
  @Trim()
  @IsPhone()
  phone?: string;

  /** The email the code was sent to. */
  @ApiPropertyOptional({ format: 'email', maxLength: 254, example: 'alice@example.com' })
  @OptionalField()
  @Trim()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  /** The digits received. */
  @ApiCodeField()
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;

  /** The new-password rules apply; a refused one leaves the code untouched. */
  @ApiPasswordField('Gatehouse-Demo-2027')
  @IsNewPassword()
  new_password: string;
}
