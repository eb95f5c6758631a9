import { Matches } from 'class-validator';
import { IsPhone, Trim, ApiCodeField, ApiPhoneField } from '#src/platform/index.js';

/** `{phone, code}`. */
export class CodeLoginDto {
  /** The phone the code was sent to. */
  @ApiPhoneField({ required: true })
  @Trim()
  @IsPhone()
  phone: string;

  /** The digits received by SMS. */
  @ApiCodeField()
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;
}
