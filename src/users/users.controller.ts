import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#src/common/auth-user.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { UpdateMeDto } from '#src/users/dto/update-me.dto.js';
import { UserProfileDto } from '#src/users/dto/user-profile.dto.js';
import { UsersService } from '#src/users/users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** The caller's own profile. */
  @Get('me')
  @ApiEnvelope(UserProfileDto)
  me(@CurrentUser() user: AuthUser): Promise<UserProfileDto> {
    return this.users.getProfile(user.userId);
  }

  /** Changes the caller's display name. */
  @Patch('me')
  @ApiEnvelope(UserProfileDto)
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<UserProfileDto> {
    return this.users.updateName(user.userId, dto.name);
  }
}
