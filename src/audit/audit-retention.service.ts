import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import { Clock } from '#src/common/clock.js';
import auditConfig from '#src/audit/audit.config.js';

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes audit events older than AUDIT_RETENTION every hour (SPEC §8 "retention configurable"). A job of
 * `@nestjs/schedule`, which starts it only in the app: the CLI module does not import ScheduleModule.
 */
@Injectable()
export class AuditRetentionService {
  private readonly logger = new Logger(AuditRetentionService.name);

  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
    private readonly clock: Clock,
  ) {}

  /** Removes events older than the retention; returns how many. A retention of 0 keeps them forever. */
  async prune(): Promise<number> {
    if (this.config.retention === 0) {
      return 0;
    }
    const cutoff = this.clock.now() - this.config.retention * 1000;
    const result = await this.events.delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  @Interval('audit-retention', PRUNE_INTERVAL_MS)
  async pruneQuietly(): Promise<void> {
    try {
      const removed = await this.prune();
      if (removed > 0) {
        this.logger.log(`pruned ${removed} audit events older than the retention`);
      }
    } catch (e) {
      this.logger.warn(`audit pruning failed: ${(e as Error).message}`);
    }
  }
}
