import { IsBoolean } from 'class-validator';
import { OptionalField } from '#src/common/validation/decorators.js';
import { IsRegisteredRole } from '#src/platform/index.js';

export class UpdateUserDto {
  /** `user`, `admin`, or a role from `ROLES=` or a module. Changing it ends the user's sessions, so old tokens cannot keep the old role. */
  @OptionalField()
  @IsRegisteredRole()
  role?: string;

  /** A disabled account cannot log in, and its sessions end at once. */
  @OptionalField()
  @IsBoolean()
  disabled?: boolean;
}
