import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class LogoutDto {
  /** Logs out the session of this refresh token, when no bearer token is sent. */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsNotEmpty()
  refresh_token?: string;
}
