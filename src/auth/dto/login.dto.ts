import { ValidateIf } from 'class-validator';
import {
  ApiEmailField,
  IsPassword,
  IsPhone,
  IsUsername,
  OptionalField,
  Trim,
} from '#src/common/validation/decorators.js';
import { ApiPasswordField, ApiPhoneField } from '#src/common/decorators/api-fields.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** `{username, password}`, `{phone, password}` or `{email, password}`. */
export class LoginDto {
  /** Required unless `phone` or `email` is sent. */
  @ApiPropertyOptional({ example: 'alice' })
  @ValidateIf((dto: LoginDto) => (dto.phone === undefined && dto.email === undefined) || dto.username !== undefined)
  @Trim()
  @IsUsername()
  username?: string;

  /** Log in by phone number instead of username. */
  @ApiPhoneField({ required: false })
  @OptionalField()
  @Trim()
  @IsPhone()
  phone?: string;

  /** Log in by email address instead; verified or not. */
  @ApiEmailField({ required: false })
  email?: string;

  /** The account's password, exactly as typed. */
  @ApiPasswordField()
  @IsPassword()
  password: string;
}
