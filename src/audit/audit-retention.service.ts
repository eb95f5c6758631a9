import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { AuditEvent } from '#src/audit/entities/audit-event.entity.js';
import auditConfig from '#src/audit/audit.config.js';

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Deletes audit events older than AUDIT_RETENTION, at start and hourly (SPEC §8 "retention configurable"). */
@Injectable()
export class AuditRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditRetentionService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    @Inject(auditConfig.KEY) private readonly config: ConfigType<typeof auditConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retention === 0) {
      return;
    }
    void this.pruneQuietly();
    this.timer = setInterval(() => void this.pruneQuietly(), PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Removes events older than the retention; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const result = await this.events.delete({ createdAt: LessThan(now - this.config.retention * 1000) });
    return result.affected ?? 0;
  }

  private async pruneQuietly(): Promise<void> {
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
