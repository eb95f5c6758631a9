import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { PasswordModule } from '#src/passwords/password.module.js';
import { SessionsModule } from '#src/sessions/sessions.module.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { User } from '#src/users/entities/user.entity.js';
import { PasswordChangeController } from '#src/users/password-change.controller.js';
import { PasswordChangeService } from '#src/users/password-change.service.js';
import { UsersController } from '#src/users/users.controller.js';
import { UsersService } from '#src/users/users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User]), PasswordModule, SessionsModule, AuditModule, ThrottlingModule],
  controllers: [UsersController, PasswordChangeController],
  providers: [UsersService, PasswordChangeService],
  exports: [UsersService],
})
export class UsersModule {}
