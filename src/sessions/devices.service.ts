import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { RequestContext } from '#src/common/request-context.js';
import { Session } from '#src/sessions/entities/session.entity.js';

/** SPEC §5 devices: logins from a device id the user never used are audited (the refresh binding is in SessionsService.rotate). */
@Injectable()
export class DevicesService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly audit: AuditService,
  ) {}

  /**
   * Call before the login's session is created: audits `new_device` when the
   * user has never had a session with this device id (OWASP ASVS 5.0 V6.3.5:
   * tell users about logins from new devices).
   */
  async noteLogin(userId: number, ctx: RequestContext): Promise<void> {
    if (!ctx.deviceId || (await this.sessions.existsBy({ userId, deviceId: ctx.deviceId }))) {
      return;
    }
    await this.audit.record({ type: CoreAudit.new_device, userId, reason: ctx.deviceName, ctx });
  }
}
