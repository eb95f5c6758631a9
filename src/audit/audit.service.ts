import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AUDIT_COLUMNS, writeWithRows } from '#src/audit/audit-transaction.js';
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

/** An event as written to `audit_events`, with its row id: what listeners and in-process subscribers receive. */
export interface RecordedAuditEvent {
  id: number;
  type: AuditEventName;
  userId: number | null;
  identifier: string | null;
  sessionId: string | null;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  deviceId: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** Rows of a module's own table, by column name, written in the audit row's transaction. */
export interface AuditTransactionRows {
  table: string;
  rows: Record<string, string | number | null>[];
}

/**
 * A module's rows that commit or roll back with the audit row, e.g. an outbox (SPEC §16: the delivery is written in
 * the same transaction as its audit row). `wants` is asked first: when no listener wants an event, the audit row
 * stays a single INSERT with no transaction. `rows` is synchronous, so on SQLite the whole write is one
 * better-sqlite3 transaction that nothing else can run inside (TypeORM shares one connection there).
 */
export interface AuditTransactionListener {
  wants(event: Omit<RecordedAuditEvent, 'id'>): boolean;
  rows(event: RecordedAuditEvent): AuditTransactionRows[];
}

/** The in-process event name of an audit type: `@OnEvent('audit.refresh_reuse')`, or `'audit.*'` for every one. */
export const auditEventName = (type: string): string => `audit.${type}`;

/**
 * Writes the audit trail (SPEC §8). Writing an event never fails the request
 * that caused it: a failed insert is logged and dropped.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly listeners: ((event: AuditInput) => void)[] = [];
  private readonly inTransaction: AuditTransactionListener[] = [];
  /** The audit row alone: one INSERT built once (issue 29), not TypeORM's insert builder per event. */
  private readonly insertEvent: PrebuiltInsert<AuditEvent>;

  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly clock: Clock,
    // Absent where EventEmitterModule is not imported (the CLI): nothing subscribes there.
    @Optional() private readonly emitter?: EventEmitter2,
  ) {
    this.insertEvent = new PrebuiltInsert(events);
  }

  /**
   * Lets a module write rows in the same transaction as each audit row it wants, without audit/ knowing the
   * module (STYLE 12). A failing listener rolls its write back; the audit row is then written alone.
   */
  onRecordInTransaction(listener: AuditTransactionListener): void {
    this.inTransaction.push(listener);
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
    const row: Omit<RecordedAuditEvent, 'id'> = {
      type: input.type,
      userId: input.userId ?? null,
      identifier: input.identifier?.slice(0, 100) ?? null,
      sessionId: input.sessionId ?? null,
      reason: input.reason?.slice(0, 100) ?? null,
      ip: input.ctx?.ip ?? null,
      userAgent: input.ctx?.userAgent ?? null,
      deviceId: input.ctx?.deviceId ?? null,
      createdAt: this.clock.now(),
    };
    const wanted = this.inTransaction.filter((listener) => listener.wants(row));
    let id: number | undefined;
    try {
      id = wanted.length > 0 ? await this.insertWith(row, wanted) : await this.insertEvent.insert(row);
    } catch (e) {
      this.logger.error(`audit event ${input.type} was not written: ${(e as Error).message}`);
    }
    if (id !== undefined) {
      this.emit({ id, ...row });
    }
  }

  /** After the write: a subscriber's fault is logged, never the request's (like a failed insert). */
  private emit(event: RecordedAuditEvent): void {
    try {
      this.emitter?.emit(auditEventName(event.type), event);
    } catch (e) {
      this.logger.error(`a subscriber of ${event.type} failed: ${(e as Error).message}`);
    }
  }

  private async insertWith(row: Omit<RecordedAuditEvent, 'id'>, wanted: AuditTransactionListener[]): Promise<number> {
    try {
      return await writeWithRows(this.events.manager.connection, AUDIT_COLUMNS, row, (id) =>
        wanted.flatMap((listener) => listener.rows({ id, ...row })),
      );
    } catch (e) {
      // Losing the audit row is worse than losing what a listener adds to it.
      this.logger.error(`audit event ${row.type}: a listener's rows failed, recorded alone: ${(e as Error).message}`);
      return this.insertEvent.insert(row);
    }
  }
}
