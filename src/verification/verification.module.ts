import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  AuditModule,
  AuthModule,
  PasswordModule,
  ThrottlingModule,
  SessionsModule,
  UsersModule,
} from '#src/platform/index.js';
import { CodeConfirmLimitService } from '#src/verification/code-confirm-limit.service.js';
import { CodeDeliveryService } from '#src/verification/code-delivery.service.js';
import { CodeLimitsService } from '#src/verification/code-limits.service.js';
import { CodeLoginService } from '#src/verification/code-login.service.js';
import { CodeRequestService } from '#src/verification/code-request.service.js';
import { ContactProofService } from '#src/verification/contact-proof.service.js';
import { ContactChangeService } from '#src/verification/contact-change.service.js';
import { PasswordResetService } from '#src/verification/password-reset.service.js';
import { CodesService } from '#src/verification/codes.service.js';
import { ContactVerificationService } from '#src/verification/contact-verification.service.js';
import { ContactController } from '#src/verification/contact.controller.js';
import { DestinationService } from '#src/verification/destination.service.js';
import { VerificationCode } from '#src/verification/entities/verification-code.entity.js';
import verificationConfig from '#src/verification/verification.config.js';
import { VerificationController } from '#src/verification/verification.controller.js';

/**
 * Phone and email ownership, SMS-code login and password reset (SPEC §12, issue 12). Brings its own config
 * namespace, table and migration, error codes, audit types, limits and metrics.
 */
@Module({
  imports: [
    ConfigModule.forFeature(verificationConfig),
    TypeOrmModule.forFeature([VerificationCode]),
    AuditModule,
    AuthModule,
    PasswordModule,
    SessionsModule,
    ThrottlingModule,
    UsersModule,
  ],
  controllers: [VerificationController, ContactController],
  providers: [
    CodesService,
    CodeConfirmLimitService,
    CodeLimitsService,
    CodeDeliveryService,
    DestinationService,
    CodeRequestService,
    CodeLoginService,
    PasswordResetService,
    ContactProofService,
    ContactChangeService,
    ContactVerificationService,
  ],
  // The social module's link proof (SPEC §15) is an SMS code login, with its limits.
  exports: [CodeLoginService],
})
export class VerificationModule {}
