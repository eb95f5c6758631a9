import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto, Trim } from '#src/platform/index.js';

export class AdminUsersQueryDto extends PaginationQueryDto {
  /**
   * Matches part of the username, name, phone or email, or a whole phone number typed nationally or in E.164.
   * @example alice
   */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(254)
  q?: string;
}
