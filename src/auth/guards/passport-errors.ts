import { TokenService } from '#src/auth/tokens/token.service.js';
import { AppException } from '#src/common/app.exception.js';
import { CoreErrors } from '#src/common/error-code.js';

/** How the strategies report a missing token (`info`), as passport-jwt does; mapped to UNAUTHORIZED below. */
export const NO_TOKEN = 'No auth token';

/** Turns passport's (err, user, info) into the user, or the SPEC §3 error for the failure. */
export function passportResult<T>(err: unknown, user: T | false, info: unknown): T {
  if (err) {
    throw TokenService.toAppException(err);
  }
  if (user) {
    return user;
  }
  if (info instanceof Error && info.message === NO_TOKEN) {
    throw new AppException(CoreErrors.UNAUTHORIZED, 'A bearer token is required');
  }
  throw TokenService.toAppException(info);
}
