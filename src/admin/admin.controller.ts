import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RevokedSessionsDto } from '#src/admin/dto/revoked-sessions.dto.js';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import { AdminRolesDto, AuditEventTypesDto } from '#src/admin/dto/admin-lists.dto.js';
import { AdminUserDetailDto } from '#src/admin/dto/admin-user-detail.dto.js';
import { AdminUserViewDto } from '#src/admin/dto/admin-user-view.dto.js';
import { AdminUsersQueryDto } from '#src/admin/dto/admin-users-query.dto.js';
import { UpdateUserDto } from '#src/admin/dto/update-user.dto.js';
import {
  Auth,
  type AuthUser,
  BuiltInRoles,
  CoreErrors,
  CurrentUser,
  ReqContext,
  type RequestContext,
  RolesService,
  auditEventTypes,
  AuditQueryService,
  AuditEventsQueryDto,
  AuditEventViewDto,
  ApiEnvelope,
  type Page,
  type KeysetPage,
} from '#src/platform/index.js';

const toMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

@ApiTags('admin')
@Auth(BuiltInRoles.admin)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly auditEvents: AuditQueryService,
    private readonly roles: RolesService,
  ) {}

  /**
   * Users in a stable order (by id), searched by part of the username, name, phone or email, or a whole phone number.
   * Never a hash. Page with `after` (send the previous answer's `next_after`; as fast on page 1,000 as on page 1) or
   * with `page`, not both. `total` is counted at most 10 seconds ago (cached per search per instance); the items and
   * `next_after` are always current.
   */
  @Get('users')
  @ApiEnvelope(AdminUserViewDto, { paginated: true, keyset: true, errors: [CoreErrors.FORBIDDEN] })
  listUsers(@Query() query: AdminUsersQueryDto): Promise<KeysetPage<AdminUserViewDto>> {
    return this.users.list(query.q, { page: query.page, after: query.after }, query.page_size);
  }

  /** One user with their live sessions and every device they logged in from. */
  @Get('users/:id')
  @ApiEnvelope(AdminUserDetailDto, { errors: [CoreErrors.FORBIDDEN, CoreErrors.NOT_FOUND] })
  getUser(@Param('id', ParseIntPipe) id: number): Promise<AdminUserDetailDto> {
    return this.users.detail(id);
  }

  /** Ends one session of a user at once; a session of another user answers 404. */
  @Delete('users/:id/sessions/:sid')
  @ApiEnvelope(null, { errors: [CoreErrors.FORBIDDEN, CoreErrors.NOT_FOUND] })
  revokeSession(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseIntPipe) id: number,
    @Param('sid') sid: string,
    @ReqContext() ctx: RequestContext,
  ): Promise<null> {
    return this.users.revokeSession(admin, id, sid, ctx);
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

  /** Every audit event type the admin API filters by: the built-in ones first, then those modules defined. */
  @Get('audit-events/types')
  @ApiEnvelope(AuditEventTypesDto, { errors: [CoreErrors.FORBIDDEN] })
  listAuditEventTypes(): AuditEventTypesDto {
    return { types: [...auditEventTypes()] };
  }

  /** Every role a user may be given: `user`, `admin`, those from `ROLES=` and those modules defined. */
  @Get('roles')
  @ApiEnvelope(AdminRolesDto, { errors: [CoreErrors.FORBIDDEN] })
  listRoles(): AdminRolesDto {
    return { roles: [...this.roles.list()] };
  }

  /** The audit trail, newest first, filtered by user, type, time and client IP. */
  @Get('audit-events')
  @ApiEnvelope(AuditEventViewDto, { paginated: true, errors: [CoreErrors.FORBIDDEN] })
  listAuditEvents(@Query() query: AuditEventsQueryDto): Promise<Page<AuditEventViewDto>> {
    return this.auditEvents.search(
      { userId: query.user_id, type: query.type, from: toMs(query.from), to: toMs(query.to), ip: query.ip },
      query.page,
      query.page_size,
    );
  }
}
