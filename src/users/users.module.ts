import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '#src/users/entities/user.entity.js';
import { UsersController } from '#src/users/users.controller.js';
import { ProfileCache } from '#src/users/profile-cache.service.js';
import { UsersService } from '#src/users/users.service.js';

/**
 * The `users` table and its one writer, UsersService (STYLE 12). It depends on no other feature module: the
 * password change, which needs hashing, sessions and throttling, is AuthModule's.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [UsersController],
  providers: [UsersService, ProfileCache],
  exports: [UsersService],
})
export class UsersModule {}
