import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { MfaChallenge } from '#src/mfa/entities/mfa-challenge.entity.js';
import { MfaChallengePruneJob } from '#src/mfa/mfa-challenge-prune.job.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';

/**
 * The mfa_token alone, so AuthModule (which issues it at login) and MfaModule
 * (which redeems it and needs AuthService to finish the login) do not import
 * each other.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MfaChallenge]), AuditModule],
  providers: [MfaChallengeService, MfaChallengePruneJob],
  exports: [MfaChallengeService],
})
export class MfaChallengeModule {}
