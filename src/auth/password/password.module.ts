import { Module } from '@nestjs/common';
import { PasswordService } from '#src/auth/password/password.service.js';

/** Hashing on its own, so the CLI can use it without the HTTP auth stack. */
@Module({
  providers: [PasswordService],
  exports: [PasswordService],
})
export class PasswordModule {}
