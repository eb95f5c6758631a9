import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '#src/audit/audit.module.js';
import { AuthController } from '#src/auth/auth.controller.js';
import { AuthService } from '#src/auth/auth.service.js';
import { PasswordChangeController } from '#src/auth/password-change.controller.js';
import { PasswordChangeService } from '#src/auth/password-change.service.js';
import { JwtAuthGuard } from '#src/auth/guards/jwt-auth.guard.js';
import { RolesGuard } from '#src/auth/guards/roles.guard.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import { JwtAccessStrategy } from '#src/auth/strategies/jwt-access.strategy.js';
import { JwtRefreshStrategy } from '#src/auth/strategies/jwt-refresh.strategy.js';
import { TokenCheckController } from '#src/auth/token-check.controller.js';
import { JwksController } from '#src/auth/tokens/jwks.controller.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import { MfaModule } from '#src/mfa/mfa.module.js';
import { SessionsModule } from '#src/sessions/sessions.module.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { UsersModule } from '#src/users/users.module.js';

@Module({
  imports: [PassportModule, PasswordModule, UsersModule, SessionsModule, AuditModule, MfaModule, ThrottlingModule],
  controllers: [AuthController, PasswordChangeController, TokenCheckController, JwksController],
  providers: [
    AuthService,
    PasswordChangeService,
    TokenService,
    JwtAccessStrategy,
    JwtRefreshStrategy,
    // Order matters: authenticate first, then check the role.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [TokenService, AuthService],
})
export class AuthModule {}
