/**
 * Documented errors that the e2e suite does not produce on that operation, each with the reason it is covered
 * elsewhere. Keys read `METHOD /path/{param} status CODE`, exactly as the coverage failure prints them. Keep it short:
 * a test that produces the answer is always the better fix.
 */
export const COVERED_ELSEWHERE: Record<string, string> = {
  'POST /api/v1/auth/mfa/verify 401 INVALID_CREDENTIALS':
    'openSession refuses a password changed mid-login the same way for every login method; password-race covers it on POST /auth/login',
  'POST /api/v1/auth/login/code 401 INVALID_CREDENTIALS':
    'openSession refuses a password changed mid-login the same way for every login method; password-race covers it on POST /auth/login',
};
