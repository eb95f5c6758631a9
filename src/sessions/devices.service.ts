import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventType } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import { AppException } from '#src/common/app.exception.js';
import { ErrorCode } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import { Session } from '#src/sessions/entities/session.entity.js';

/** SPEC §5 devices: `X-Device-Id` binds a session's refreshes and marks logins from new devices. */
@Injectable()
export class DevicesService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly audit: AuditService,
  ) {}

  /**
   * A session created with a device id refreshes only from that device; a
   * missing id counts as a different one. A refresh token copied to another
   * device is then useless there (RFC 9700 §4.14: sender-constrain refresh
   * tokens where the client allows). Checked before rotation, so a refused
   * refresh rotates nothing. An unknown session is left to the rotation's own check.
   */
  async assertSameDevice(sessionId: string, ctx: RequestContext): Promise<void> {
    const session = await this.sessions.findOne({ select: { id: true, deviceId: true }, where: { id: sessionId } });
    if (session?.deviceId && session.deviceId !== ctx.deviceId) {
      throw new AppException(ErrorCode.TOKEN_INVALID, 'The token is not valid');
    }
  }

  /**
   * Call before the login's session is created: audits `new_device` when the
   * user has never had a session with this device id (OWASP ASVS 5.0 V6.3.5:
   * tell users about logins from new devices).
   */
  async noteLogin(userId: number, ctx: RequestContext): Promise<void> {
    if (!ctx.deviceId || (await this.sessions.existsBy({ userId, deviceId: ctx.deviceId }))) {
      return;
    }
    await this.audit.record({ type: AuditEventType.NewDevice, userId, reason: ctx.deviceName, ctx });
  }
}
