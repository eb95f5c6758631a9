import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { AuditEventType } from '#src/audit/audit-event-type.js';
import { PaginationQueryDto } from '#src/common/dto/pagination-query.dto.js';

export class AuditEventsQueryDto extends PaginationQueryDto {
  /** Only events of this user. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  user_id?: number;

  /** Only events of this type. */
  @IsOptional()
  @IsEnum(AuditEventType)
  type?: AuditEventType;

  /** From this time on (ISO 8601, inclusive). */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Before this time (ISO 8601, exclusive). */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
