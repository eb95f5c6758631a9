import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '#src/common/dto/pagination-query.dto.js';
import { Trim } from '#src/common/validation/decorators.js';

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
