import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RevokedSessionsDto } from '#src/admin/dto/revoked-sessions.dto.js';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import { AdminUserViewDto } from '#src/admin/dto/admin-user-view.dto.js';
import { AdminUsersQueryDto } from '#src/admin/dto/admin-users-query.dto.js';
import { UpdateUserDto } from '#src/admin/dto/update-user.dto.js';
import { AuditQueryService } from '#src/audit/audit-query.service.js';
import { AuditEventsQueryDto } from '#src/audit/dto/audit-events-query.dto.js';
import { AuditEventViewDto } from '#src/audit/dto/audit-event-view.dto.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import type { Page } from '#src/common/dto/pagination-query.dto.js';
import {
  Auth,
  type AuthUser,
  BuiltInRoles,
  CoreErrors,
  CurrentUser,
  ReqContext,
  type RequestContext,
} from '#src/platform/index.js';

const toMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

@ApiTags('admin')
@Auth(BuiltInRoles.admin)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly auditEvents: AuditQueryService,
  ) {}

  /** Users, searched by part of the username, name or phone. Never a hash. */
  @Get('users')
  @ApiEnvelope(AdminUserViewDto, { paginated: true, errors: [CoreErrors.FORBIDDEN] })
  listUsers(@Query() query: AdminUsersQueryDto): Promise<Page<AdminUserViewDto>> {
    return this.users.list(query.q, query.page, query.page_size);
  }

  /** Changes a user's role or disables them; either ends their sessions at once. */
  @Patch('users/:id')
  @ApiEnvelope(AdminUserViewDto, { errors: [CoreErrors.FORBIDDEN, CoreErrors.NOT_FOUND] })
  updateUser(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateUserDto,
    @ReqContext() ctx: RequestContext,
  ): Promise<AdminUserViewDto> {
    return this.users.update(admin, id, dto, ctx);
  }

  /** Clears the login throttling of a user, so they can try again at once. */
  @Post('users/:id/unlock')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(null, { errors: [CoreErrors.FORBIDDEN, CoreErrors.NOT_FOUND] })
  unlock(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    return this.users.unlock(admin, id, ctx);
  }

  /** Ends every session of a user. */
  @Post('users/:id/revoke-sessions')
  @HttpCode(HttpStatus.OK)
  @ApiEnvelope(RevokedSessionsDto, { errors: [CoreErrors.FORBIDDEN, CoreErrors.NOT_FOUND] })
  revokeSessions(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @ReqContext() ctx: RequestContext,
  ): Promise<RevokedSessionsDto> {
    return this.users.revokeSessions(admin, id, ctx);
  }

  /** The audit trail, newest first, filtered by user, type and time. */
  @Get('audit-events')
  @ApiEnvelope(AuditEventViewDto, { paginated: true, errors: [CoreErrors.FORBIDDEN] })
  listAuditEvents(@Query() query: AuditEventsQueryDto): Promise<Page<AuditEventViewDto>> {
    return this.auditEvents.search(
      { userId: query.user_id, type: query.type, from: toMs(query.from), to: toMs(query.to) },
      query.page,
      query.page_size,
    );
  }
}
