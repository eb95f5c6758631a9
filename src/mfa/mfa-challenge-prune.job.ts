import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '#src/platform/index.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';

const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Deletes every expired `mfa_challenges` row, whoever it belongs to: without it a user who never logs in again
 * would keep theirs forever. An expired row is useless, as its token's own `exp` refuses it first.
 */
@Injectable()
export class MfaChallengePruneJob {
  private readonly logger = new Logger(MfaChallengePruneJob.name);

  constructor(
    private readonly challenges: MfaChallengeService,
    private readonly clock: Clock,
  ) {}

  @Interval('mfa-challenge-prune', PRUNE_INTERVAL_MS)
  async run(): Promise<number> {
    try {
      const removed = await this.challenges.pruneExpired(this.clock.now());
      if (removed > 0) {
        this.logger.debug(`pruned ${removed} expired MFA challenges`);
      }
      return removed;
    } catch (e) {
      this.logger.warn(`MFA challenge pruning failed: ${(e as Error).message}`);
      return 0;
    }
  }
}
