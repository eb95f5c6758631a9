import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { DestinationDto } from '#src/verification/dto/destination.dto.js';

/** `{purpose: "login", phone}` or `{purpose: "reset_password", phone | email}` . */
export class RequestCodeDto extends DestinationDto {
  /** `login` (phone only) or `reset_password`. */
  @ApiProperty({ enum: ['login', 'reset_password'], example: 'login' })
  @IsIn(['login', 'reset_password'])
  purpose: 'login' | 'reset_password';
}
