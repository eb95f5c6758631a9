import {
  ApiEmailField,
  IsName,
  IsNewPassword,
  IsPhone,
  IsUsername,
  OptionalField,
  Trim,
} from '#src/common/validation/decorators.js';
import { ApiPasswordField, ApiPhoneField } from '#src/common/decorators/api-fields.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RegisterDto {
  /** 3–50 of `a-z A-Z 0-9 _ -`, trimmed; unique without regard to case. */
  @ApiProperty({ example: 'alice' })
  @Trim()
  @IsUsername()
  username: string;

  /** 6–128 characters counted after NFKC, any script or emoji; never trimmed; not a common password. */
  @ApiPasswordField()
  @IsNewPassword()
  password: string;

  /** Stored as E.164; a national number is read in DEFAULT_PHONE_REGION. */
  @ApiPhoneField({ required: false })
  @OptionalField()
  @Trim()
  @IsPhone()
  phone?: string;

  /** At most 254 characters, unique without regard to case; unverified until a code proves it. */
  @ApiEmailField({ required: false })
  email?: string;

  /** Display name, 1–50 characters, trimmed; defaults to the username. */
  @ApiPropertyOptional({ example: 'Alice' })
  @OptionalField()
  @Trim()
  @IsName()
  name?: string;
}
