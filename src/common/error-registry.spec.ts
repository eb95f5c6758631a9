import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';
import { defineErrorCodes, findErrorCode, registeredErrorCodes } from '#src/common/error-registry.js';
import { toErrorResponse } from '#src/common/filters/error-response.js';
import { defineTranslations } from '#src/common/i18n/registry.js';

// The codes this spec defines are registered for the whole worker (Vitest shares modules between files), where the
// translation completeness spec sees them: like any module's codes, they come with their zh-CN messages.
defineTranslations('error-registry-spec', {
  en: {},
  'zh-CN': { errors: { REPORT_TOO_BIG: '报表过大', EXPORT_LOCKED: '导出已锁定' } },
});

describe(defineErrorCodes.name, () => {
  it('registers a module code with its status and default message, which AppException uses', () => {
    const ReportErrors = defineErrorCodes({ REPORT_TOO_BIG: { status: 413, message: 'The report is too big' } });
    expect(ReportErrors.REPORT_TOO_BIG).toEqual({
      code: 'REPORT_TOO_BIG',
      status: 413,
      message: 'The report is too big',
    });
    expect(findErrorCode('REPORT_TOO_BIG')).toBe(ReportErrors.REPORT_TOO_BIG);
    expect(registeredErrorCodes().map((d) => d.code)).toContain('REPORT_TOO_BIG');

    const e = new AppException(ReportErrors.REPORT_TOO_BIG);
    expect(toErrorResponse(e)).toMatchObject({
      status: 413,
      body: { code: 413, msg: 'The report is too big', error: 'REPORT_TOO_BIG', data: null },
      unexpected: false,
    });
  });

  it('refuses a code defined twice, by another module or the core', () => {
    defineErrorCodes({ EXPORT_LOCKED: { status: 423, message: 'Locked' } });
    expect(() => defineErrorCodes({ EXPORT_LOCKED: { status: 409, message: 'Other meaning' } })).toThrow(
      'Error code EXPORT_LOCKED is defined twice',
    );
    expect(() => defineErrorCodes({ TOKEN_INVALID: { status: 400, message: 'Mine' } })).toThrow(
      'Error code TOKEN_INVALID is defined twice',
    );
    expect(findErrorCode('EXPORT_LOCKED')?.status).toBe(423);
    expect(findErrorCode('TOKEN_INVALID')?.status).toBe(401);
  });

  it('refuses a code that is not UPPER_SNAKE_CASE or a status that is not an error', () => {
    expect(() => defineErrorCodes({ 'bad-code': { status: 400, message: 'x' } })).toThrow('UPPER_SNAKE_CASE');
    expect(() => defineErrorCodes({ NOT_AN_ERROR: { status: 200, message: 'x' } })).toThrow('4xx or 5xx');
    expect(findErrorCode('NOT_AN_ERROR')).toBeUndefined();
  });
});

describe(AppException.name, () => {
  it('keeps the core codes and statuses of SPEC §3', () => {
    const statuses = Object.fromEntries(Object.values(CoreErrors).map((d) => [d.code, d.status]));
    expect(statuses).toEqual({
      VALIDATION_FAILED: 400,
      INVALID_CREDENTIALS: 401,
      UNAUTHORIZED: 401,
      TOKEN_INVALID: 401,
      TOKEN_EXPIRED: 401,
      TOKEN_REVOKED: 401,
      REFRESH_TOKEN_REUSED: 401,
      FORBIDDEN: 403,
      IP_NOT_ALLOWED: 403,
      NOT_FOUND: 404,
      METHOD_NOT_ALLOWED: 405,
      USERNAME_TAKEN: 409,
      PHONE_TAKEN: 409,
      EMAIL_TAKEN: 409,
      PAYLOAD_TOO_LARGE: 413,
      REQUEST_TIMEOUT: 408,
      URI_TOO_LONG: 414,
      HEADERS_TOO_LARGE: 431,
      UNSUPPORTED_MEDIA_TYPE: 415,
      REGISTRATION_DISABLED: 403,
      RATE_LIMITED: 429,
      SERVICE_UNAVAILABLE: 503,
      INTERNAL_ERROR: 500,
    });
    expect(CoreErrors.TOKEN_INVALID.code).toBe('TOKEN_INVALID');
  });

  it('takes a definition alone, with a more specific message, or with options', () => {
    const specific = new AppException(CoreErrors.NOT_FOUND, 'No such session');
    expect([specific.code, specific.status, specific.message]).toEqual(['NOT_FOUND', 404, 'No such session']);

    const byDefault = new AppException(CoreErrors.TOKEN_INVALID);
    expect([byDefault.code, byDefault.status, byDefault.message]).toEqual([
      'TOKEN_INVALID',
      401,
      'The token is not valid',
    ]);
    expect(new AppException(CoreErrors.TOKEN_INVALID).message).toBe('The token is not valid');

    const withOptions = new AppException(CoreErrors.RATE_LIMITED, { retryAfter: 7 });
    expect(withOptions.message).toBe('Too many attempts; retry later');
    expect(toErrorResponse(withOptions).headers).toEqual({ 'retry-after': '7' });

    const errors = [{ field: 'phone', message: 'phone must be a valid phone number' }];
    const legacyOptions = new AppException(CoreErrors.VALIDATION_FAILED, { errors });
    expect(toErrorResponse(legacyOptions).body.errors).toEqual([{ ...errors[0], rule: 'invalid', params: {} }]);
  });
});
