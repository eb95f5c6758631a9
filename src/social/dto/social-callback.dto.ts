import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { OptionalField } from '#src/platform/index.js';

/** `{code, state, iss?}` exactly as the provider put them on the redirect. */
export class SocialCallbackDto {
  /** The authorization code from the redirect's query. */
  @ApiProperty({ example: '061Abc0w3Xyz' })
  @IsString()
  @Length(1, 512)
  code: string;

  /** The `state` from the redirect's query: the one `/start` issued. */
  @ApiProperty({ example: 'kP3x…' })
  @IsString()
  @Length(1, 128)
  state: string;

  /** The `iss` from the redirect's query when the provider sends one (RFC 9207). */
  @ApiPropertyOptional({ example: 'https://login.example.com' })
  @OptionalField()
  @IsString()
  @MaxLength(500)
  iss?: string;
}

/** `{code}` from the WeChat SDK in an app (`SendAuth`) or `wx.login()` in a mini-program. */
export class WechatCodeDto {
  /** The code WeChat handed the app. */
  @ApiProperty({ example: '061Abc0w3Xyz' })
  @IsString()
  @Length(1, 512)
  code: string;
}

/** A first sign-in with an identity no account has: prove an account, or sign up. */
export class LinkRequiredDto {
  link_required: true;
  /** Single use, 10 minutes: send it to `POST /auth/social/link` or `POST /auth/social/signup`. */
  link_token: string;
  /** The provider the identity is from. */
  provider: string;
}
