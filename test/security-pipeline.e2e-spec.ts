import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  Module,
  type ModuleMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProperty } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import type { AuthUser } from '#src/common/auth-user.js';
import { provideSecurityStep } from '#src/common/security-step.js';
import { TokenService } from '#src/auth/tokens/token.service.js';
import { AppModule } from '#src/app.module.js';
import { AuthModule } from '#src/auth/auth.module.js';
import { IpAllowlistModule } from '#src/ip-allowlist/ip-allowlist.module.js';
import { AppException } from '#src/common/app.exception.js';
import { Auth } from '#src/common/decorators/roles.decorator.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { API, bearer, register } from './helpers/auth-client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const appImports = (): NonNullable<ModuleMetadata['imports']> =>
  Reflect.getMetadata('imports', AppModule) as NonNullable<ModuleMetadata['imports']>;

async function makeAdmin(t: TestApp): Promise<{ token: string; userId: number }> {
  const admin = await register(t);
  await t.dataSource.query("UPDATE users SET role = 'admin' WHERE id = ?", [admin.userInfo.id]);
  const [session] = await t.dataSource.query('SELECT id FROM sessions WHERE user_id = ?', [admin.userInfo.id]);
  // A correctly signed admin token, as if issued while the admin was inside the network.
  const token = t.app.get(TokenService).signAccess({ id: admin.userInfo.id, role: 'admin' }, session.id).token;
  return { token, userId: admin.userInfo.id };
}

describe("the security pipeline with AppModule's imports in reverse order (issue 11.1)", () => {
  let t: TestApp;

  const original = appImports();

  beforeAll(async () => {
    // AppModule itself, its imports reversed: IpAllowlistModule then comes before AuthModule, which with one
    // APP_GUARD per module let an admin from outside the allow-list through.
    const reversed = [...original].reverse();
    expect(reversed.indexOf(IpAllowlistModule)).toBeLessThan(reversed.indexOf(AuthModule));
    Reflect.defineMetadata('imports', reversed, AppModule);
    try {
      t = await createTestApp({ IP_ALLOWLIST_ADMIN: '10.0.0.0/8' });
    } finally {
      Reflect.defineMetadata('imports', original, AppModule);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses an admin token from outside the allow-list with 403 IP_NOT_ALLOWED, on any route, and audits it', async () => {
    const admin = await makeAdmin(t);
    for (const path of ['/users/me', '/admin/users']) {
      const res = await t.http().get(`${API}${path}`).set(bearer(admin.token));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ code: 403, msg: expect.any(String), error: 'IP_NOT_ALLOWED', data: null });
    }
    const rows = await t.dataSource.query(
      "SELECT reason FROM audit_events WHERE type = 'ip_not_allowed' AND user_id = ?",
      [admin.userId],
    );
    expect(rows.map((row: { reason: string }) => row.reason).sort()).toEqual([
      'request GET /api/v1/admin/users',
      'request GET /api/v1/users/me',
    ]);
  });

  it('refuses a non-admin on an admin route with 403 FORBIDDEN and serves them elsewhere', async () => {
    const user = await register(t);
    const res = await t.http().get(`${API}/admin/users`).set(bearer(user.access_token));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 403, msg: expect.any(String), error: 'FORBIDDEN', data: null });
    expect((await t.http().get(`${API}/users/me`).set(bearer(user.access_token))).status).toBe(200);
  });

  it('still requires a token, and still lets public routes through', async () => {
    const res = await t.http().get(`${API}/admin/users`);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('UNAUTHORIZED');
    expect((await t.http().get('/health/live')).status).toBe(200);
  });
});

/** What the hook step saw, in call order. */
const seen: Array<{ path: string; user: AuthUser | undefined }> = [];

@Injectable()
class RecordingStep implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    // It runs on every route (register too); the probe's routes are the ones this test looks at.
    if (!request.url.startsWith(`${API}/hook-probe`)) {
      return true;
    }
    seen.push({ path: request.url, user: request.user });
    if (request.headers['x-deny'] !== undefined) {
      throw new AppException(CoreErrors.FORBIDDEN, 'Refused by the team step');
    }
    return true;
  }
}

class ProbeDto {
  @ApiProperty()
  ok: boolean;
}

/** Documented like a team's controller would be: the contract check holds test modules to it too. */
@Controller('hook-probe')
class ProbeController {
  @Get()
  @ApiBearerAuth()
  @ApiEnvelope(ProbeDto)
  probe(): ProbeDto {
    return { ok: true };
  }

  @Public()
  @Get('public')
  // The team's step refuses any route of the probe when asked to (x-deny), a public one included.
  @ApiEnvelope(ProbeDto, { errors: [CoreErrors.FORBIDDEN] })
  open(): ProbeDto {
    return { ok: true };
  }

  @Auth('admin')
  @Get('admin')
  @ApiEnvelope(ProbeDto)
  admin(): ProbeDto {
    return { ok: true };
  }
}

/** A team's module: a controller and its own guard, registered by adding the provider only. */
@Module({ controllers: [ProbeController], providers: [provideSecurityStep(RecordingStep)] })
class TeamModule {}

describe('a hook step added by a module (provideSecurityStep)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({}, { imports: [TeamModule, AppModule] });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('runs after authentication: it sees the authenticated caller', async () => {
    const user = await register(t);
    const res = await t.http().get(`${API}/hook-probe`).set(bearer(user.access_token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: 200, msg: 'success', data: { ok: true } });
    expect(seen).toEqual([
      { path: `${API}/hook-probe`, user: { userId: user.userInfo.id, sessionId: expect.any(String), role: 'user' } },
    ]);
  });

  it('is not reached when authentication or roles refuse', async () => {
    const none = await t.http().get(`${API}/hook-probe`);
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('UNAUTHORIZED');
    const user = await register(t);
    const notAdmin = await t.http().get(`${API}/hook-probe/admin`).set(bearer(user.access_token));
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.error).toBe('FORBIDDEN');
    expect(seen).toEqual([]);
  });

  it('can refuse a request with its own error, and runs on public routes without a caller', async () => {
    const user = await register(t);
    const denied = await t.http().get(`${API}/hook-probe`).set(bearer(user.access_token)).set('X-Deny', '1');
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ code: 403, msg: 'Refused by the team step', error: 'FORBIDDEN', data: null });
    expect((await t.http().get(`${API}/hook-probe/public`)).status).toBe(200);
    const deniedPublic = await t.http().get(`${API}/hook-probe/public`).set('X-Deny', '1');
    expect(deniedPublic.status).toBe(403);
    expect(deniedPublic.body).toEqual({ code: 403, msg: 'Refused by the team step', error: 'FORBIDDEN', data: null });
    expect(seen.map((call) => call.user?.userId)).toEqual([user.userInfo.id, undefined, undefined]);
  });
});
