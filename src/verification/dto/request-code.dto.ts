import { IsEmail, IsIn, MaxLength, ValidateIf } from 'class-validator';
import { IsPhone, OptionalField, Trim } from '#src/common/validation/decorators.js';
import { ApiPhoneField } from '#src/common/decorators/api-fields.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** `{purpose: "login", phone}` or `{purpose: "reset_password", phone | email}` . */
export class RequestCodeDto {
  /** `login` (phone only) or `reset_password`. */
  @ApiProperty({ enum: ['login', 'reset_password'], example: 'login' })
  @IsIn(['login', 'reset_password'])
  purpose: 'login' | 'reset_password';

  /** E.164, or a national number read in DEFAULT_PHONE_REGION. Required unless `email` is sent. */
  @ValidateIf((dto: RequestCodeDto) => dto.email === undefined || dto.phone !== undefined)
  @ApiPhoneField({ required: false })
  @Trim()
  @IsPhone()
  phone?: string;

  /** For `reset_password` only, instead of `phone`. */
  @ApiPropertyOptional({ format: 'email', maxLength: 254, example: 'alice@example.com' })
  @OptionalField()
  @Trim()
  @MaxLength(254)
  @IsEmail()
  email?: string;
}
