/**
 * The one import path for a module that extends Gatehouse (SPEC §13), and for the built-in feature modules (admin/,
 * mfa/, verification/, health/, ip-allowlist/, social/, webhooks/, console/, examples/), which use it the same way:
 * `import { Auth, AppException, defineErrorCodes } from '#src/platform/index.js'`; `npm run lint` (dependency-cruiser,
 * `features-import-core-through-the-barrel`) fails when a feature folder imports the core any other way.
 *
 * Only re-exports. The core folders re-exported here (common/, config/, database/, audit/, metrics/, throttling/,
 * auth/, users/, sessions/, passwords/, redis/) import each other directly, never this file nor a feature, so the
 * barrel cannot close an import cycle. Where the core needs a feature (the MFA challenge, the IP fence), it injects
 * a port (auth/login-ports.ts) that the feature implements.
 */

// Routes: who may call them, and who is calling.
export { Auth, Roles } from '#src/common/decorators/roles.decorator.js';
export { Public } from '#src/common/decorators/public.decorator.js';
export { OptionalAuth } from '#src/common/decorators/optional-auth.decorator.js';
export { CurrentUser } from '#src/common/decorators/current-user.decorator.js';
export { ApiEnvelope, ApiErrors } from '#src/common/decorators/api-envelope.decorator.js';
export { ApiDeviceHeaders } from '#src/common/decorators/api-headers.js';
export { SkipEnvelope } from '#src/common/decorators/skip-envelope.decorator.js';
export { ReqContext, type RequestContext } from '#src/common/request-context.js';
export type { AuthUser } from '#src/common/auth-user.js';
export { Unprefixed } from '#src/common/decorators/unprefixed.decorator.js';

// Errors: a module defines its codes with their status and default message, and throws them.
export { AppException, type AppExceptionOptions, type FieldError } from '#src/common/app.exception.js';
export {
  defineErrorCodes,
  registeredErrorCodes,
  type ErrorCodeSpec,
  type ErrorDefinition,
} from '#src/common/error-registry.js';
export { CoreErrors, type ErrorCodeName } from '#src/common/error-code.js';

// Languages (SPEC §14): a module's catalogs (`<module>/i18n/en.ts`, `zh-CN.ts`), its own validation rules and
// SMS / email templates; the completeness spec checks every locale has them all.
export {
  defineTranslations,
  defineValidationRules,
  defineMessageTemplates,
  type Catalog,
  type Translation,
} from '#src/common/i18n/registry.js';
export { I18nService } from '#src/common/i18n/i18n.service.js';
export { LOCALES, type Locale } from '#src/common/i18n/locales.js';
export type { RuleFailure } from '#src/common/validation/rules.js';
export { encodeRuleFailure } from '#src/common/validation/rule-failure.js';

// Roles: built-in, from `ROLES=`, and defined by modules.
export { BuiltInRoles, defineRoles, definedRoles, type Role, type RoleNames } from '#src/common/role-registry.js';
export { RolesModule } from '#src/platform/roles/roles.module.js';
export { RolesService } from '#src/platform/roles/roles.service.js';
export { IsRegisteredRole } from '#src/platform/roles/is-registered-role.validator.js';

// Audit trail: the writer and the event types a module records.
export { AuditModule } from '#src/audit/audit.module.js';
export {
  AuditService,
  auditEventName,
  type AuditInput,
  type AuditTransactionListener,
  type RecordedAuditEvent,
} from '#src/audit/audit.service.js';
export {
  CoreAudit,
  auditEventTypes,
  defineAuditEventTypes,
  isAuditEventType,
  type AuditEventName,
} from '#src/audit/audit-event-type.js';

// Metrics: `MetricsService.counter()/histogram()/gauge()` on the app's registry (MetricsModule is global).
export { MetricsService } from '#src/metrics/metrics.service.js';

// Sessions: a login method proves its factor, then hands the account to the one door (STYLE 16, "prove, then
// admit"); the module that uses it imports AuthModule.
export { AdmissionService, type AdmissionAttempt } from '#src/auth/admission.service.js';
export { ReauthenticationService } from '#src/auth/reauthentication.service.js';
export { AuthModule } from '#src/auth/auth.module.js';
export { AuthErrors } from '#src/auth/auth.errors.js';
export { AuthService } from '#src/auth/auth.service.js';
export { LoginResponseDto } from '#src/auth/dto/login-response.dto.js';
export { MfaChallengeDto } from '#src/auth/dto/mfa-challenge.dto.js';
// The ports a login feature implements for the core (auth/login-ports.ts): the mfa and ip-allowlist modules.
export { IpFence, SecondFactor } from '#src/auth/login-ports.js';

// Accounts, sessions and passwords: the core's own services, for a module that reads or changes an account.
export { User } from '#src/users/entities/user.entity.js';
export { UsersService, type Contact, type Identifier } from '#src/users/users.service.js';
export { UsersModule } from '#src/users/users.module.js';
export { UserProfileDto } from '#src/users/dto/user-profile.dto.js';
export { canonicalEmail } from '#src/users/canonical.js';
export { SessionsService } from '#src/sessions/sessions.service.js';
export { UserSessionsService } from '#src/sessions/user-sessions.service.js';
export { SessionsModule } from '#src/sessions/sessions.module.js';
export { SessionDto } from '#src/sessions/dto/session.dto.js';
export { PasswordService, normalizePassword } from '#src/passwords/password.service.js';
export { PasswordModule } from '#src/passwords/password.module.js';

// The audit trail as the admin API reads it.
export { AuditQueryService } from '#src/audit/audit-query.service.js';
export { AuditEventsQueryDto } from '#src/audit/dto/audit-events-query.dto.js';
export { AuditEventViewDto } from '#src/audit/dto/audit-event-view.dto.js';

// Time: read `clock.now()`, never Date.now(), so tests move time instead of sleeping.
export { Clock } from '#src/common/clock.js';

// Limits: a named, configurable limit on a route (`RATE_LIMIT_<NAME>=n/duration` overrides it); the module that
// uses it imports ThrottlingModule.
export { RateLimit, type RateLimitOptions } from '#src/throttling/rate-limit.decorator.js';
export { ThrottlingModule } from '#src/throttling/throttling.module.js';
// The budgets behind the login, code and MFA limits (see throttling.service.ts), and the per-IP key they use.
export { ThrottlingService } from '#src/throttling/throttling.service.js';
export { ipKey } from '#src/throttling/ip-key.js';

// Shared state across instances (REDIS_URL), for a module whose state must be the same on every instance.
export { RedisService } from '#src/redis/redis.service.js';

// Input: optional fields that refuse null, trimmed strings, and `?page&page_size` lists.
export {
  ApiEmailField,
  IsNewPassword,
  IsPassword,
  IsPhone,
  IsUsername,
  OptionalField,
  Trim,
} from '#src/common/validation/decorators.js';
// The OpenAPI shapes of the shared fields (and the demo account the examples use).
export {
  ApiCodeField,
  ApiPasswordField,
  ApiPhoneField,
  DEMO_PASSWORD,
  SWAGGER_USER,
} from '#src/common/decorators/api-fields.js';
export { PaginationQueryDto, type Page, type KeysetPage } from '#src/common/dto/pagination-query.dto.js';

// Configuration: a module's `registerAs` namespace validates its variables at start with these.
export { EnvDoc, IsDuration, documentEnvPattern, toBool, validateConfig } from '#src/config/validate-config.js';
export { parseDurationSeconds } from '#src/config/duration.js';
// The core's own namespaces, for a module that reads the issuer, the JWT secrets or the public URL.
export { default as appConfig } from '#src/config/app.config.js';
export { default as jwtConfig } from '#src/config/jwt.config.js';
export { assertStrongSecrets } from '#src/config/secret-strength.js';
export { loadDevSecrets } from '#src/config/dev-secrets.js';

// Tables: times as epoch milliseconds, the same on SQLite and MySQL.
export { EpochMsColumn } from '#src/database/columns.js';
// Text columns compared byte for byte on both databases, a unique index's violation, and a module's own schema
// repair (a MySQL table created before a migration fixed its collation).
export { BINARY_COLLATION, DEFAULT_COLLATION, type TextColumn, setCollation } from '#src/database/binary-collation.js';
export { isUniqueViolation } from '#src/database/database-errors.js';
export { repairSchema, type SchemaRepair } from '#src/database/schema-repair.js';

// Built browser pages a module serves (the demo page, the admin console) live under the package root.
export { packageRoot } from '#src/common/demo-page.js';

// The security pipeline's hook: a team's own guard runs after authentication, the IP allow-list and roles.
export { provideSecurityStep } from '#src/common/security-step.js';
