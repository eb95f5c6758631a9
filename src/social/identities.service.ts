import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, type Repository } from 'typeorm';
import { Clock, isUniqueViolation } from '#src/platform/index.js';
import { UserIdentity } from '#src/social/entities/user-identity.entity.js';
import type { ProvenIdentity } from '#src/social/providers/provider.js';

/** The one writer of `user_identities` (STYLE 12). */
@Injectable()
export class IdentitiesService {
  constructor(
    @InjectRepository(UserIdentity) private readonly identities: Repository<UserIdentity>,
    private readonly clock: Clock,
  ) {}

  findByKey(identity: ProvenIdentity): Promise<UserIdentity | null> {
    return this.identities.findOneBy({ issuer: identity.issuer, subject: identity.subject });
  }

  listForUser(userId: number): Promise<UserIdentity[]> {
    return this.identities.find({ where: { userId }, order: { id: 'ASC' } });
  }

  countForUser(userId: number): Promise<number> {
    return this.identities.countBy({ userId, id: Not(IsNull()) });
  }

  /**
   * Inserts the identity for `userId` (null: claimed by a sign-up still creating its account) and lets the unique
   * index on (issuer, subject) decide a race: the row that won, which is ours only when `owned` is true.
   */
  async claim(identity: ProvenIdentity, userId: number | null): Promise<{ row: UserIdentity; owned: boolean }> {
    const row = this.identities.create({
      userId,
      provider: identity.provider,
      issuer: identity.issuer,
      subject: identity.subject,
      displayName: identity.displayName,
      createdAt: this.clock.now(),
    });
    try {
      await this.identities.insert(row);
      return { row, owned: true };
    } catch (e) {
      const existing = isUniqueViolation(e) ? await this.findByKey(identity) : null;
      if (!existing) {
        throw e;
      }
      return { row: existing, owned: false };
    }
  }

  async setOwner(id: number, userId: number): Promise<void> {
    await this.identities.update({ id, userId: IsNull() }, { userId });
  }

  /** Drops a sign-up's claim whose account could not be created. */
  async release(id: number): Promise<void> {
    await this.identities.delete({ id, userId: IsNull() });
  }

  findOwned(id: number, userId: number): Promise<UserIdentity | null> {
    return this.identities.findOneBy({ id, userId });
  }

  /** True when this request removed the row (a concurrent unlink of the same row gets false). */
  async remove(id: number, userId: number): Promise<boolean> {
    return (await this.identities.delete({ id, userId })).affected === 1;
  }
}
