import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { And, FindOptionsWhere, LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import type { AuditEventViewDto } from '#src/audit/dto/audit-event-view.dto.js';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import type { Page } from '#src/common/dto/pagination-query.dto.js';

export interface AuditFilter {
  userId?: number;
  type?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** The client IP as recorded. */
  ip?: string;
}

/** Reads the audit trail, newest first: the admin's search and a user's own login history. */
@Injectable()
export class AuditQueryService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async search(filter: AuditFilter, page: number, pageSize: number): Promise<Page<AuditEventViewDto>> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (filter.userId !== undefined) {
      where.userId = filter.userId;
    }
    if (filter.type !== undefined) {
      where.type = filter.type;
    }
    if (filter.ip !== undefined) {
      where.ip = filter.ip;
    }
    const range = [
      ...(filter.from !== undefined ? [MoreThanOrEqual(filter.from)] : []),
      ...(filter.to !== undefined ? [LessThan(filter.to)] : []),
    ];
    if (range.length > 0) {
      where.createdAt = And(...range);
    }
    const [rows, total] = await this.events.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: rows.map((row) => AuditQueryService.toView(row)), page, page_size: pageSize, total };
  }

  static toView(event: AuditEvent): AuditEventViewDto {
    return {
      id: event.id,
      type: event.type,
      user_id: event.userId,
      identifier: event.identifier,
      ip: event.ip,
      user_agent: event.userAgent,
      device_id: event.deviceId,
      session_id: event.sessionId,
      reason: event.reason,
      created_at: new Date(event.createdAt).toISOString(),
    };
  }
}
