import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule, AuthModule, ThrottlingModule, UsersModule } from '#src/platform/index.js';
import { VerificationModule } from '#src/verification/verification.module.js';
import { SocialGrant } from '#src/social/entities/social-grant.entity.js';
import { UserIdentity } from '#src/social/entities/user-identity.entity.js';
import { IdentitiesService } from '#src/social/identities.service.js';
import { MyIdentitiesController } from '#src/social/my-identities.controller.js';
import { MyIdentitiesService } from '#src/social/my-identities.service.js';
import { SocialController } from '#src/social/social.controller.js';
import socialConfig from '#src/social/social.config.js';
import { SocialGrantsService } from '#src/social/social-grants.service.js';
import { SocialLinkService } from '#src/social/social-link.service.js';
import { SocialLoginService } from '#src/social/social-login.service.js';
import { SocialProvidersService } from '#src/social/social-providers.service.js';
import '#src/social/social.definitions.js';

/**
 * Sign in with WeChat, GitHub and OpenID Connect providers (SPEC §15, issue 25): proves a provider identity and
 * hands the account to admission. Brings its config namespace, tables, migrations, error codes and audit types.
 */
@Module({
  imports: [
    ConfigModule.forFeature(socialConfig),
    TypeOrmModule.forFeature([UserIdentity, SocialGrant]),
    AuditModule,
    // AdmissionService, and AuthService for the password proof of POST /auth/social/link.
    AuthModule,
    UsersModule,
    // The SMS-code proof of POST /auth/social/link is the code login itself.
    VerificationModule,
    // For @RateLimit on the public start and finish routes.
    ThrottlingModule,
  ],
  controllers: [SocialController, MyIdentitiesController],
  providers: [
    SocialProvidersService,
    SocialGrantsService,
    IdentitiesService,
    SocialLoginService,
    SocialLinkService,
    MyIdentitiesService,
  ],
})
export class SocialModule {}
