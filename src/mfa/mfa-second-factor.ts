import { Injectable } from '@nestjs/common';
import { type MfaChallengeDto, type RequestContext, SecondFactor } from '#src/platform/index.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';
import { MfaService } from '#src/mfa/mfa.service.js';

/** The TOTP second factor behind the core's `SecondFactor` port (see auth/login-ports.ts). */
@Injectable()
export class MfaSecondFactor extends SecondFactor {
  constructor(
    private readonly challenges: MfaChallengeService,
    private readonly mfa: MfaService,
  ) {
    super();
  }

  challenge(user: { id: number }, identifier: string, ctx: RequestContext): Promise<MfaChallengeDto> {
    return this.challenges.issue(user, identifier, ctx);
  }

  endPending(userId: number): Promise<void> {
    return this.challenges.deleteForUser(userId);
  }

  remove(userId: number): Promise<void> {
    return this.mfa.remove(userId);
  }
}
