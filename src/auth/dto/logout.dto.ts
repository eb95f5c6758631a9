import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '#src/common/validation/decorators.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class LogoutDto {
  /** Logs out the session of this refresh token, when no bearer token is sent. */
  @ApiPropertyOptional({ example: '<the refresh_token from login>' })
  @OptionalField()
  @IsString()
  @MaxLength(2048)
  @IsNotEmpty()
  refresh_token?: string;
}
