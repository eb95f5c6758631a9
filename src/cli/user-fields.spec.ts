import { newPasswordError, profileErrors } from '#src/cli/user-fields.js';
import type { UsersService } from '#src/users/users.service.js';

/** SPEC §14: the CLI stays English whatever the server's DEFAULT_LOCALE, as operators search its output. */
describe('CLI field messages', () => {
  const users = {} as UsersService;

  it('words the shared rules in English', () => {
    expect(profileErrors(users, { username: 'ab', name: ' ' })).toEqual([
      'username must be at least 3 characters',
      'name is required',
    ]);
    expect(newPasswordError('12345', 'someone', 6)).toBe('password must be at least 6 characters');
  });
});
