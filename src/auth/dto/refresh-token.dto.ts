import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

export class RefreshTokenDto {
  /** The refresh token from login or from the previous refresh. */
  @ApiProperty({ example: '<the refresh_token from login>' })
  @IsString()
  @MaxLength(2048)
  @IsNotEmpty()
  refresh_token: string;
}
