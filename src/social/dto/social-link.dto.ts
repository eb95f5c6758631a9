import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches, ValidateIf } from 'class-validator';
import {
  ApiEmailField,
  ApiPhoneField,
  IsPassword,
  IsPhone,
  IsUsername,
  OptionalField,
  Trim,
} from '#src/platform/index.js';

/** `{link_token}`: the token a first sign-in answered. */
export class LinkTokenDto {
  /** From the `link_required` answer; single use, 10 minutes. */
  @ApiProperty({ example: 'Zp4p…' })
  @IsString()
  @Length(1, 128)
  link_token: string;
}

/**
 * `{link_token}` plus the existing account's password login fields (`username`, `phone` or `email` with
 * `password`) or its SMS code login fields (`phone`, `code`).
 */
export class SocialLinkDto extends LinkTokenDto {
  /** With `password`, unless `phone` or `email` is sent. */
  @ApiPropertyOptional({ example: 'alice' })
  @ValidateIf(
    (dto: SocialLinkDto) =>
      dto.username !== undefined || (dto.code === undefined && dto.phone === undefined && dto.email === undefined),
  )
  @Trim()
  @IsUsername()
  username?: string;

  /** With `password`, or with `code` for an SMS code proof. */
  @ApiPhoneField({ required: false })
  @ValidateIf((dto: SocialLinkDto) => dto.phone !== undefined || dto.code !== undefined)
  @Trim()
  @IsPhone()
  phone?: string;

  /** With `password`. */
  @ApiEmailField({ required: false })
  email?: string;

  /** The account's password; required unless `code` is sent. */
  @ApiPropertyOptional({ format: 'password', minLength: 1, maxLength: 128, example: 'Gatehouse-Demo-2026' })
  @ValidateIf((dto: SocialLinkDto) => dto.password !== undefined || dto.code === undefined)
  @IsPassword()
  password?: string;

  /** A `login` code sent to `phone` (`POST /auth/codes`), instead of the password. */
  @ApiPropertyOptional({ pattern: '^[0-9]{4,10}$', example: '123456' })
  @OptionalField()
  @Matches(/^[0-9]{4,10}$/, { message: 'code must be 4 to 10 digits' })
  code?: string;
}
