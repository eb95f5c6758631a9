import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import { AdminController } from '#src/admin/admin.controller.js';
import { AuditModule, RolesModule, SessionsModule, ThrottlingModule, User, UsersModule } from '#src/platform/index.js';

@Module({
  imports: [TypeOrmModule.forFeature([User]), UsersModule, SessionsModule, AuditModule, ThrottlingModule, RolesModule],
  controllers: [AdminController],
  providers: [AdminUsersService],
})
export class AdminModule {}
