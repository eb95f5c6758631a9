import { IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { Role } from '#src/users/entities/user.entity.js';

export class UpdateUserDto {
  /** `user` or `admin`. Changing it ends the user's sessions, so old tokens cannot keep the old role. */
  @IsOptional()
  @IsEnum(Role)
  role?: string;

  /** A disabled account cannot log in, and its sessions end at once. */
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
