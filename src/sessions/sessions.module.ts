import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { DevicesService } from '#src/sessions/devices.service.js';
import { RefreshToken } from '#src/sessions/entities/refresh-token.entity.js';
import { Revocation } from '#src/sessions/entities/revocation.entity.js';
import { Session } from '#src/sessions/entities/session.entity.js';
import { RevocationService } from '#src/sessions/revocation.service.js';
import { SessionsController } from '#src/sessions/sessions.controller.js';
import { SessionsService } from '#src/sessions/sessions.service.js';
import { UserSessionsService } from '#src/sessions/user-sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Session, RefreshToken, Revocation]), AuditModule],
  controllers: [SessionsController],
  providers: [SessionsService, RevocationService, UserSessionsService, DevicesService],
  exports: [SessionsService, RevocationService, DevicesService, UserSessionsService],
})
export class SessionsModule {}
