import { IsName, Trim } from '#src/common/validation/decorators.js';
import { ApiProperty } from '@nestjs/swagger';

export class UpdateMeDto {
  /** Display name, 1–50 characters, trimmed. */
  @ApiProperty({ example: 'Alice' })
  @Trim()
  @IsName()
  name: string;
}
