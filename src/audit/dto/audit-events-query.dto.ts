import { Type } from 'class-transformer';
import { IsInt, IsIP, IsISO8601, IsOptional, Min, ValidateBy } from 'class-validator';
import { auditEventTypes, isAuditEventType, type AuditEventName } from '#src/audit/audit-event-type.js';
import { PaginationQueryDto } from '#src/common/dto/pagination-query.dto.js';
import { encodeRuleFailure } from '#src/common/validation/rule-failure.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** Any built-in type or one a module registered; the list is read when validating, after every module loaded. */
const IsAuditEventType = () =>
  ValidateBy({
    name: 'isAuditEventType',
    validator: {
      validate: (value: unknown) => isAuditEventType(value),
      defaultMessage: () => encodeRuleFailure({ rule: 'one_of', params: { values: [...auditEventTypes()] } }),
    },
  });

export class AuditEventsQueryDto extends PaginationQueryDto {
  /**
   * Only events of this user.
   * @example 1
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  user_id?: number;

  /** Only events of this type: a built-in one such as `login_failure`, or one a module registered. */
  @ApiPropertyOptional({ type: String, enum: () => [...auditEventTypes()], example: 'login_failure' })
  @IsOptional()
  @IsAuditEventType()
  type?: AuditEventName;

  /** From this time on (ISO 8601, inclusive). */
  @ApiPropertyOptional({ format: 'date-time', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Before this time (ISO 8601, exclusive). */
  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  /**
   * Only events from this client IP (as recorded: IPv4, or IPv6 in full).
   * @example 203.0.113.7
   */
  @IsOptional()
  @IsIP()
  ip?: string;
}
