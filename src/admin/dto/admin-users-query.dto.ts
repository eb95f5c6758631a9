import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto, Trim } from '#src/platform/index.js';

/**
 * `?q&page_size` and either `after` (keyset, the fast way to page deep) or `page` (offset, kept for old clients and
 * for a jump to a page number). Answers carry `next_after` in both modes, so a client can start with a page number
 * and go on with the cursor.
 */
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

  /**
   * Keyset cursor: the users whose id is greater than this, in id order. Send the `next_after` of the previous
   * answer; `0` starts at the beginning. Cannot be combined with `page` > 1 (the answer's `page` is then 1). A page
   * read this way costs the same at any depth (an index seek), where `page` skips every earlier row (issue 27). In
   * either mode the answer's `total` may be up to 10 s old (counted per search, per instance); items and
   * `next_after` are current.
   */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @ValidateBy({
    name: 'notWithPage',
    validator: { validate: (_value: unknown, args) => !((args?.object as AdminUsersQueryDto).page > 1) },
  })
  after?: number;
}
