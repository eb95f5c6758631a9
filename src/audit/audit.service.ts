import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventType } from '#src/audit/audit-event-type.js';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import type { RequestContext } from '#src/common/request-context.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

export interface AuditInput {
  type: AuditEventType;
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

  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    // Optional: the CLI records events without the HTTP app's metrics.
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async record(input: AuditInput): Promise<void> {
    // Counted here so login, MFA and reuse outcomes are measured once, where they are already named.
    this.metrics?.auditEvent(input);
    try {
      await this.events.insert({
        type: input.type,
        userId: input.userId ?? null,
        identifier: input.identifier?.slice(0, 100) ?? null,
        sessionId: input.sessionId ?? null,
        reason: input.reason?.slice(0, 100) ?? null,
        ip: input.ctx?.ip ?? null,
        userAgent: input.ctx?.userAgent ?? null,
        deviceId: input.ctx?.deviceId ?? null,
        createdAt: Date.now(),
      });
    } catch (e) {
      this.logger.error(`audit event ${input.type} was not written: ${(e as Error).message}`);
    }
  }
}
