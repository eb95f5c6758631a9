import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LoginHistoryPageDto } from '#src/audit/dto/login-event.dto.js';
import { LoginHistoryService } from '#src/audit/login-history.service.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
import { PaginationQueryDto } from '#src/common/dto/pagination-query.dto.js';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class LoginHistoryController {
  constructor(private readonly history: LoginHistoryService) {}

  /** The caller's own login history (audit events), newest first, `?page=1&page_size=20` (at most 100). */
  @Get('events')
  @ApiEnvelope(LoginHistoryPageDto)
  events(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto): Promise<LoginHistoryPageDto> {
    return this.history.forUser(user.userId, query.page, query.page_size);
  }
}
