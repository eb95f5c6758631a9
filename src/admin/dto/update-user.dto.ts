import { IsBoolean, IsEnum } from 'class-validator';
import { OptionalField } from '#src/common/validation/decorators.js';
import { Role } from '#src/users/entities/user.entity.js';

export class UpdateUserDto {
  /** `user` or `admin`. Changing it ends the user's sessions, so old tokens cannot keep the old role. */
  @OptionalField()
  @IsEnum(Role)
  role?: string;

  /** A disabled account cannot log in, and its sessions end at once. */
  @OptionalField()
  @IsBoolean()
  disabled?: boolean;
}
