import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { Clock, isUniqueViolation } from '#src/platform/index.js';
import { type GrantKind, SocialGrant } from '#src/social/entities/social-grant.entity.js';

/** SPEC §15: a state, a link_token and a spent code each live 10 minutes. */
export const GRANT_TTL_MS = 10 * 60_000;

/** SHA-256 hex: the stored form of a state, link token or code (OWASP ASVS 5.0 V7.2.3, tokens hashed at rest). */
export function tokenHash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface Grant<T> {
  id: number;
  provider: string;
  userId: number | null;
  payload: T;
}

/** The one writer of `social_grants`: single-use values that exactly one request can spend. */
@Injectable()
export class SocialGrantsService {
  constructor(
    @InjectRepository(SocialGrant) private readonly grants: Repository<SocialGrant>,
    private readonly clock: Clock,
  ) {}

  /** A fresh unguessable value (256 bits, RFC 9700 §4.7.1 for `state`); only its hash is kept. */
  async issue(kind: GrantKind, provider: string, payload: object, userId: number | null = null): Promise<string> {
    const now = this.clock.now();
    // Expired rows are useless; clearing them here keeps the table at about ten minutes of starts.
    await this.grants.delete({ expiresAt: LessThan(now) });
    const value = randomBytes(32).toString('base64url');
    await this.grants.insert({
      kind,
      tokenHash: tokenHash(value),
      provider,
      userId,
      payload: JSON.stringify(payload),
      createdAt: now,
      expiresAt: now + GRANT_TTL_MS,
    });
    return value;
  }

  /** The live grant for this value, without spending it (a wrong password leaves a link_token usable). */
  async peek<T>(kind: GrantKind, value: string): Promise<Grant<T> | null> {
    const row = await this.grants.findOneBy({ tokenHash: tokenHash(value), kind });
    if (!row || row.expiresAt <= this.clock.now()) {
      return null;
    }
    return { id: row.id, provider: row.provider, userId: row.userId, payload: JSON.parse(row.payload) as T };
  }

  /** Spends a grant: of two requests holding it, the DELETE that removes the row is the one winner. */
  async spend(grant: Grant<unknown>): Promise<boolean> {
    const result = await this.grants.delete({ id: grant.id });
    return result.affected === 1;
  }

  /** `peek` then `spend`: the grant when this request won it, else null. */
  async take<T>(kind: GrantKind, value: string): Promise<Grant<T> | null> {
    const grant = await this.peek<T>(kind, value);
    return grant && (await this.spend(grant)) ? grant : null;
  }

  /**
   * Records a provider code as spent before it is exchanged, so a code replayed to us is refused even when the
   * provider would not notice (RFC 6749 §4.1.2: a code is single use). The unique index picks one winner.
   */
  async spendCode(provider: string, code: string): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.grants.insert({
        kind: 'code',
        tokenHash: tokenHash(`code:${provider}:${code}`),
        provider,
        userId: null,
        payload: '{}',
        createdAt: now,
        expiresAt: now + GRANT_TTL_MS,
      });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }
}
