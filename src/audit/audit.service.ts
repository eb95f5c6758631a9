import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isAuditEventType, type AuditEventName } from '#src/audit/audit-event-type.js';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import { Clock } from '#src/common/clock.js';
import { PrebuiltInsert } from '#src/database/prebuilt-insert.js';
import type { RequestContext } from '#src/common/request-context.js';

export interface AuditInput {
  type: AuditEventName;
  userId?: number | null;
  /** The username or phone that was tried. Never a password or a token. */
  identifier?: string | null;
  sessionId?: string | null;
  reason?: string | null;
  ctx?: RequestContext;
}

/**
 * Writes the audit trail (SPEC §8). Writing an event never fails the request
 * that caused it: a failed insert is logged and dropped.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly listeners: ((event: AuditInput) => void)[] = [];
  /** Built once (issue 29): TypeORM's insert builder cost more than the INSERT itself on a login. */
  private readonly insertEvent: PrebuiltInsert<AuditEvent>;

  constructor(
    @InjectRepository(AuditEvent) events: Repository<AuditEvent>,
    private readonly clock: Clock,
  ) {
    this.insertEvent = new PrebuiltInsert(events);
  }

  /**
   * Lets a module observe every event as it is recorded (metrics count login, MFA and reuse outcomes here,
   * where they are already named) without audit/ importing it: folders depend one way (STYLE 12).
   */
  onRecord(listener: (event: AuditInput) => void): void {
    this.listeners.push(listener);
  }

  async record(input: AuditInput): Promise<void> {
    for (const listener of this.listeners) {
      listener(input);
    }
    if (!isAuditEventType(input.type)) {
      // Still written: losing an event is worse than one the admin filter cannot name.
      this.logger.warn(`audit event type ${input.type} is not registered: define it with defineAuditEventTypes()`);
    }
    try {
      await this.insertEvent.insert({
        type: input.type,
        userId: input.userId ?? null,
        identifier: input.identifier?.slice(0, 100) ?? null,
        sessionId: input.sessionId ?? null,
        reason: input.reason?.slice(0, 100) ?? null,
        ip: input.ctx?.ip ?? null,
        userAgent: input.ctx?.userAgent ?? null,
        deviceId: input.ctx?.deviceId ?? null,
        createdAt: this.clock.now(),
      });
    } catch (e) {
      this.logger.error(`audit event ${input.type} was not written: ${(e as Error).message}`);
    }
  }
}
