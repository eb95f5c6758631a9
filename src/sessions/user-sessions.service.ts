import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Not, Repository } from 'typeorm';
import { CoreAudit } from '#src/audit/audit-event-type.js';
import { AuditService } from '#src/audit/audit.service.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { AppException } from '#src/common/app.exception.js';
import { Clock } from '#src/common/clock.js';
import { CoreErrors } from '#src/common/error-code.js';
import type { RequestContext } from '#src/common/request-context.js';
import type { SessionDto } from '#src/sessions/dto/session.dto.js';
import { Session } from '#src/sessions/entities/session.entity.js';
import { SessionsService } from '#src/sessions/sessions.service.js';

/** A device id seen at login (`X-Device-Id`), aggregated over the user's sessions. */
export interface DeviceSummary {
  deviceId: string;
  deviceName: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** What a signed-in user does with their own sessions: list them, end one, end them all. */
@Injectable()
export class UserSessionsService {
  constructor(
    @InjectRepository(Session) private readonly repo: Repository<Session>,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Live sessions (not revoked, not expired), most recently used first. */
  async list(user: AuthUser, now = this.clock.now()): Promise<SessionDto[]> {
    return this.listFor(user.userId, user.sessionId, now);
  }

  /** `list` for any user (the admin API); `currentId` marks the caller's own session, if among them. */
  async listFor(userId: number, currentId: string | null, now = this.clock.now()): Promise<SessionDto[]> {
    const rows = await this.repo.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { lastUsedAt: 'DESC', createdAt: 'DESC' },
    });
    return rows.map((row) => UserSessionsService.toDto(row, currentId));
  }

  /** Every device id the user has logged in from, with the first and last time it was seen. */
  async devicesOf(userId: number): Promise<DeviceSummary[]> {
    const rows = await this.repo.find({
      select: { deviceId: true, deviceName: true, createdAt: true, lastUsedAt: true },
      where: { userId, deviceId: Not(IsNull()) },
      order: { lastUsedAt: 'DESC' },
    });
    const byId = new Map<string, DeviceSummary>();
    for (const row of rows) {
      const seen = byId.get(row.deviceId!);
      if (seen) {
        seen.firstSeenAt = Math.min(seen.firstSeenAt, row.createdAt);
      } else {
        byId.set(row.deviceId!, {
          deviceId: row.deviceId!,
          deviceName: row.deviceName,
          firstSeenAt: row.createdAt,
          lastSeenAt: row.lastUsedAt,
        });
      }
    }
    return [...byId.values()];
  }

  /**
   * Ends one of the caller's own sessions at once. Another user's session
   * answers exactly like one that does not exist, so ids cannot be probed
   * (OWASP ASVS 5.0 V8.2.2, object-level authorisation). Idempotent for one's own.
   */
  async revoke(user: AuthUser, id: string, ctx: RequestContext): Promise<void> {
    await this.revokeOf(user.userId, id);
    await this.audit.record({ type: CoreAudit.session_revoke, userId: user.userId, sessionId: id, ctx });
  }

  /** Ends session `id` of user `userId`; a session of anyone else answers 404 like a missing one. */
  async revokeOf(userId: number, id: string): Promise<void> {
    const session = await this.repo.findOne({ select: { id: true, userId: true }, where: { id } });
    if (!session || session.userId !== userId) {
      throw new AppException(CoreErrors.NOT_FOUND, 'No such session');
    }
    await this.sessions.revoke([session.id], 'revoked');
  }

  /** Ends every session of the caller, this one included. */
  async logoutAll(user: AuthUser, ctx: RequestContext): Promise<void> {
    const ids = await this.sessions.revokeAllForUser(user.userId, 'logout_all');
    await this.audit.record({
      type: CoreAudit.logout_all,
      userId: user.userId,
      sessionId: user.sessionId,
      reason: `${ids.length} sessions`,
      ctx,
    });
  }

  private static toDto(row: Session, currentId: string | null): SessionDto {
    return {
      id: row.id,
      device_id: row.deviceId,
      device_name: row.deviceName,
      user_agent: row.userAgent,
      ip: row.ip,
      created_at: new Date(row.createdAt).toISOString(),
      last_used_at: new Date(row.lastUsedAt).toISOString(),
      expires_at: new Date(row.expiresAt).toISOString(),
      current: row.id === currentId,
    };
  }
}
