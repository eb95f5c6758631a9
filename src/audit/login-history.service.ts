import { Injectable } from '@nestjs/common';
import { AuditQueryService } from '#src/audit/audit-query.service.js';
import type { LoginHistoryPageDto } from '#src/audit/dto/login-event.dto.js';

/** SPEC §3 `GET /auth/events`: a user's own trail, so they can spot logins that were not theirs. */
@Injectable()
export class LoginHistoryService {
  constructor(private readonly audit: AuditQueryService) {}

  async forUser(userId: number, page: number, pageSize: number): Promise<LoginHistoryPageDto> {
    const result = await this.audit.search({ userId }, page, pageSize);
    return {
      ...result,
      // Only what concerns the user; ids and the admin's fields stay in the admin API.
      items: result.items.map(({ type, ip, user_agent, device_id, reason, created_at }) => ({
        type,
        ip,
        user_agent,
        device_id,
        reason,
        created_at,
      })),
    };
  }
}
