import { ValidateIf } from 'class-validator';
import { ApiEmailField, ApiPhoneField, IsPhone, Trim } from '#src/platform/index.js';

/** Where a code goes, or went: a phone, or an email instead (SPEC §12). Extended by the requests that name one. */
export class DestinationDto {
  /** E.164, or a national number read in DEFAULT_PHONE_REGION. Required unless `email` is sent. */
  @ValidateIf((dto: DestinationDto) => dto.email === undefined || dto.phone !== undefined)
  @ApiPhoneField({ required: false })
  @Trim()
  @IsPhone()
  phone?: string;

  /** Instead of `phone`, where the purpose allows email. */
  @ApiEmailField({ required: false })
  email?: string;
}
