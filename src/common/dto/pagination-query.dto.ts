import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** `?page&page_size` for every paginated list. */
export class PaginationQueryDto {
  /** 1-based page number. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  /** Items per page, at most 100. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page_size: number = 20;
}

/** One page of a list, with the total count for the pager. */
export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
}

/** A page that can also be walked by keyset: `next_after` is the cursor for the next page, null on the last one. */
export interface KeysetPage<T> extends Page<T> {
  next_after: number | null;
}
