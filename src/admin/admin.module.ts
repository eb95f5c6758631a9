import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import { AdminController } from '#src/admin/admin.controller.js';
import { AuditModule, RolesModule } from '#src/platform/index.js';
import { SessionsModule } from '#src/sessions/sessions.module.js';
import { ThrottlingModule } from '#src/throttling/throttling.module.js';
import { User } from '#src/users/entities/user.entity.js';
import { UsersModule } from '#src/users/users.module.js';

@Module({
  imports: [TypeOrmModule.forFeature([User]), UsersModule, SessionsModule, AuditModule, ThrottlingModule, RolesModule],
  controllers: [AdminController],
  providers: [AdminUsersService],
})
export class AdminModule {}
