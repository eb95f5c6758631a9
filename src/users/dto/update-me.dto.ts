import { IsName, Trim } from '#src/common/validation/decorators.js';

export class UpdateMeDto {
  /** Display name, 1–50 characters, trimmed. */
  @Trim()
  @IsName()
  name: string;
}
