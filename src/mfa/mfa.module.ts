import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  AuthModule,
  SecondFactor,
  AuditModule,
  PasswordModule,
  SessionsModule,
  ThrottlingModule,
  UsersModule,
} from '#src/platform/index.js';
import { MfaChallenge } from '#src/mfa/entities/mfa-challenge.entity.js';
import { MfaRecoveryCode } from '#src/mfa/entities/mfa-recovery-code.entity.js';
import { MfaChallengePruneJob } from '#src/mfa/mfa-challenge-prune.job.js';
import { MfaChallengeService } from '#src/mfa/mfa-challenge.service.js';
import mfaConfig from '#src/mfa/mfa.config.js';
import { MfaAdminController } from '#src/mfa/mfa-admin.controller.js';
import { MfaController } from '#src/mfa/mfa.controller.js';
import { MfaLoginController } from '#src/mfa/mfa-login.controller.js';
import { MfaLoginService } from '#src/mfa/mfa-login.service.js';
import { MfaSecondFactor } from '#src/mfa/mfa-second-factor.js';
import { MfaResetService } from '#src/mfa/mfa-reset.service.js';
import { MfaService } from '#src/mfa/mfa.service.js';
import { RecoveryCodesRegenerationService } from '#src/mfa/recovery-codes-regeneration.service.js';
import { RecoveryCodesService } from '#src/mfa/recovery-codes.service.js';
import { SecretCipher } from '#src/mfa/secret-cipher.js';
import { TotpService } from '#src/mfa/totp.service.js';

/**
 * TOTP two-factor login with recovery codes (SPEC §3), a feature module above the core: it implements the core's
 * `SecondFactor` port (auth/login-ports.ts), which the admission service asks for the challenge a correct first
 * factor answers, and serves `/auth/mfa/verify`, which opens the session through `AdmissionService` like any other
 * login method. Global, so AuthModule receives the port without importing this module (the import goes one way:
 * mfa → core).
 */
@Global()
@Module({
  imports: [
    ConfigModule.forFeature(mfaConfig),
    TypeOrmModule.forFeature([MfaRecoveryCode, MfaChallenge]),
    PasswordModule,
    UsersModule,
    SessionsModule,
    AuditModule,
    ThrottlingModule,
    AuthModule,
  ],
  controllers: [MfaLoginController, MfaController, MfaAdminController],
  providers: [
    MfaService,
    MfaResetService,
    MfaChallengeService,
    MfaChallengePruneJob,
    TotpService,
    RecoveryCodesService,
    RecoveryCodesRegenerationService,
    SecretCipher,
    MfaLoginService,
    { provide: SecondFactor, useClass: MfaSecondFactor },
  ],
  exports: [MfaService, MfaChallengeService, SecondFactor],
})
export class MfaModule {}
