import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { MfaChallenge } from '#src/mfa/entities/mfa-challenge.entity.js';
import { MfaRecoveryCode } from '#src/mfa/entities/mfa-recovery-code.entity.js';
import { MfaChallengePruneJob } from '#src/mfa/mfa-challenge-prune.job.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';
import mfaConfig from '#src/mfa/mfa.config.js';
import { MfaAdminController } from '#src/mfa/mfa-admin.controller.js';
import { MfaController } from '#src/mfa/mfa.controller.js';
import { MfaResetService } from '#src/mfa/mfa-reset.service.js';
import { MfaService } from '#src/mfa/mfa.service.js';
import { RecoveryCodesRegenerationService } from '#src/mfa/recovery-codes-regeneration.service.js';
import { RecoveryCodesService } from '#src/mfa/recovery-codes.service.js';
import { SecretCipher } from '#src/mfa/secret-cipher.js';
import { TotpService } from '#src/mfa/totp.service.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import { SessionsModule } from '#src/sessions/sessions.module.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { UsersModule } from '#src/users/users.module.js';

/**
 * TOTP two-factor login with recovery codes (SPEC §3). It sits below AuthModule: the login issues the challenge
 * and, at `/auth/mfa/verify`, asks MfaService for the second factor before issuing tokens, so neither module
 * imports the other both ways.
 */
@Module({
  imports: [
    ConfigModule.forFeature(mfaConfig),
    TypeOrmModule.forFeature([MfaRecoveryCode, MfaChallenge]),
    PasswordModule,
    UsersModule,
    SessionsModule,
    AuditModule,
    ThrottlingModule,
  ],
  controllers: [MfaController, MfaAdminController],
  providers: [
    MfaService,
    MfaResetService,
    MfaChallengeService,
    MfaChallengePruneJob,
    TotpService,
    RecoveryCodesService,
    RecoveryCodesRegenerationService,
    SecretCipher,
  ],
  exports: [MfaService, MfaChallengeService],
})
export class MfaModule {}
