import { IsBoolean } from 'class-validator';
import { definedRoles, IsRegisteredRole, OptionalField } from '#src/platform/index.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class UpdateUserDto {
  /** `user`, `admin`, or a role from `ROLES=` or a module. Changing it ends the user's sessions, so old tokens cannot keep the old role. */
  // The enum is read when the document is built, after every module and ROLES= defined its roles.
  @ApiPropertyOptional({ type: String, enum: () => definedRoles(), example: 'user' })
  @OptionalField()
  @IsRegisteredRole()
  role?: string;

  /**
   * A disabled account cannot log in, and its sessions end at once.
   * @example false
   */
  @OptionalField()
  @IsBoolean()
  disabled?: boolean;
}
