import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '#src/common/validation/decorators.js';

export class LogoutDto {
  /** Logs out the session of this refresh token, when no bearer token is sent. */
  @OptionalField()
  @IsString()
  @MaxLength(2048)
  @IsNotEmpty()
  refresh_token?: string;
}
