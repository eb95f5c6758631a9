import { COMMON_PASSWORDS, isCommonPassword } from '#src/common/validation/common-passwords.js';

describe('isCommonPassword', () => {
  it('ships at least the 10,000 most common passwords, all within the length policy', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(10_000);
    expect([...COMMON_PASSWORDS].every((p) => [...p].length >= 6 && [...p].length <= 128)).toBe(true);
  });

  it.each(['Password1!', 'P@ssw0rd1', 'qwerty1234', 'welcome1!', 'abc123!', 'QWERTY123', 'woaini1314', 'dr@g0n!!'])(
    'refuses %s',
    (password) => {
      expect(isCommonPassword(password)).toBe(true);
    },
  );

  it.each(['correct horse battery', 'Gx7!pLq2#vR', 'zebra-piano-42', '密码安全很重要呢'])('accepts %s', (password) => {
    expect(isCommonPassword(password)).toBe(false);
  });
});
