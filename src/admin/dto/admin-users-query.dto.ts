import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '#src/common/dto/pagination-query.dto.js';
import { Trim } from '#src/common/validation/decorators.js';

export class AdminUsersQueryDto extends PaginationQueryDto {
  /**
   * Matches part of the username, name or phone.
   * @example alice
   */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(50)
  q?: string;
}
