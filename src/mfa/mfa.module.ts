import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { AuthModule } from '#src/auth/auth.module.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import { MfaRecoveryCode } from '#src/mfa/entities/mfa-recovery-code.entity.js';
import mfaConfig from '#src/mfa/mfa.config.js';
import { MfaChallengeModule } from '#src/mfa/mfa-challenge.module.js';
import { MfaController } from '#src/mfa/mfa.controller.js';
import { MfaService } from '#src/mfa/mfa.service.js';
import { RecoveryCodesService } from '#src/mfa/recovery-codes.service.js';
import { SecretCipher } from '#src/mfa/secret-cipher.js';
import { TotpService } from '#src/mfa/totp.service.js';
import { SessionsModule } from '#src/sessions/sessions.module.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { User } from '#src/users/entities/user.entity.js';
import { UsersModule } from '#src/users/users.module.js';

/** TOTP two-factor login with recovery codes (SPEC §3). */
@Module({
  imports: [
    ConfigModule.forFeature(mfaConfig),
    TypeOrmModule.forFeature([User, MfaRecoveryCode]),
    AuthModule,
    MfaChallengeModule,
    PasswordModule,
    UsersModule,
    SessionsModule,
    AuditModule,
    ThrottlingModule,
  ],
  controllers: [MfaController],
  providers: [MfaService, TotpService, RecoveryCodesService, SecretCipher],
})
export class MfaModule {}
