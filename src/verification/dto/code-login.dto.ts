import { Matches } from 'class-validator';
import { IsPhone, Trim } from '#src/common/validation/decorators.js';

/** `{phone, code}` (SPEC §3). */
export class CodeLoginDto {
  /** The phone the code was sent to. */
  @Trim()
  @IsPhone()
  phone: string;

  /** The digits received by SMS. */
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code: string;
}
