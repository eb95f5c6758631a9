import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RefreshToken } from '#src/sessions/entities/refresh-token.entity.js';
import { Session } from '#src/sessions/entities/session.entity.js';
import { RevocationService } from '#src/sessions/revocation.service.js';
import { SessionsService } from '#src/sessions/sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Session, RefreshToken])],
  providers: [SessionsService, RevocationService],
  exports: [SessionsService, RevocationService],
})
export class SessionsModule {}
