import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule, JwtSecretRequestType } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '#src/audit/audit.module.js';
import { AdmissionService } from '#src/auth/admission.service.js';
import { AuthController } from '#src/auth/auth.controller.js';
import { AuthService } from '#src/auth/auth.service.js';
import { PasswordChangeController } from '#src/auth/password-change.controller.js';
import { PasswordChangeService } from '#src/auth/password-change.service.js';
import { ReauthenticationService } from '#src/auth/reauthentication.service.js';
import { SecurityGuard } from '#src/auth/guards/security.guard.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import { JwtAccessStrategy } from '#src/auth/strategies/jwt-access.strategy.js';
import { JwtRefreshStrategy } from '#src/auth/strategies/jwt-refresh.strategy.js';
import { TokenCheckController } from '#src/auth/token-check.controller.js';
import { JwksController } from '#src/auth/tokens/jwks.controller.js';
import type { TokenType } from '#src/auth/tokens/token-claims.js';
import { TokenKeys } from '#src/auth/tokens/token-keys.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import jwtConfig from '#src/config/jwt.config.js';
import { SessionsModule } from '#src/sessions/sessions.module.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { UsersModule } from '#src/users/users.module.js';

@Module({
  imports: [
    PassportModule,
    DiscoveryModule,
    JwtModule.registerAsync({
      inject: [jwtConfig.KEY],
      useFactory: (config: ConfigType<typeof jwtConfig>) => ({
        // Signing only: TokenService names the algorithm per type, the payload's `type` picks the KeyObject.
        // Verification is the passport strategies' (jwt-strategy-options.ts).
        secretOrKeyProvider: (request: JwtSecretRequestType, payload: unknown) => {
          if (request !== JwtSecretRequestType.SIGN) {
            throw new Error('Tokens are verified by the passport strategies');
          }
          return TokenKeys.of(config).signing((payload as { type: TokenType }).type);
        },
      }),
    }),
    PasswordModule,
    UsersModule,
    SessionsModule,
    AuditModule,
    ThrottlingModule,
  ],
  controllers: [AuthController, PasswordChangeController, TokenCheckController, JwksController],
  providers: [
    AdmissionService,
    AuthService,
    PasswordChangeService,
    ReauthenticationService,
    TokenService,
    JwtAccessStrategy,
    JwtRefreshStrategy,
    // The only global guard: its steps' order is declared in SecurityGuard, not by module import order.
    { provide: APP_GUARD, useClass: SecurityGuard },
  ],
  exports: [TokenService, AuthService, AdmissionService, ReauthenticationService],
})
export class AuthModule {}
