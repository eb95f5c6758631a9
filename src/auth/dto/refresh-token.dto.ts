import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class RefreshTokenDto {
  /** The refresh token from login or from the previous refresh. */
  @IsString()
  @MaxLength(2048)
  @IsNotEmpty()
  refresh_token: string;
}
