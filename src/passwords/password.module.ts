import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import passwordConfig from '#src/passwords/password.config.js';
import { PasswordService } from '#src/passwords/password.service.js';

/** Hashing on its own, so users, mfa and the CLI can hash without depending on the auth stack. */
@Module({
  imports: [ConfigModule.forFeature(passwordConfig)],
  providers: [PasswordService],
  exports: [PasswordService],
})
export class PasswordModule {}
