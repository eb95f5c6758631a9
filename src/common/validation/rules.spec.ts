import { nameError, passwordError, passwordLength, usernameError } from '#src/common/validation/rules.js';

describe('usernameError', () => {
  it.each(['abc', 'a-_', 'Admin_01', 'x'.repeat(50), '  trimmed  '])('accepts %j', (value) => {
    expect(usernameError(value)).toBeNull();
  });

  it.each([
    ['ab', 'min_length'],
    ['x'.repeat(51), 'max_length'],
    ['', 'required'],
    ['   ', 'required'],
    ['小明', 'pattern'],
    ['a.', 'pattern'],
    ['admin@domain', 'pattern'],
    ['ab cd', 'pattern'],
    ['john.doe', 'pattern'],
    ['jürgen', 'pattern'],
    ['张三丰', 'pattern'],
    ['a\u0000b', 'pattern'],
  ])('refuses %j with rule %s', (value, rule) => {
    expect(usernameError(value)?.rule).toBe(rule);
  });
});

describe('passwordLength', () => {
  it('counts code points after NFKC, so an emoji or a CJK character is one', () => {
    expect(passwordLength('🐱🐶🦊')).toBe(3);
    expect(passwordLength('长城故宫')).toBe(4);
    expect(passwordLength('ﬀ')).toBe(2);
    expect(passwordLength('e\u0301')).toBe(1);
  });
});

describe('passwordError', () => {
  it('refuses fewer than the minimum and more than 128 code points', () => {
    expect(passwordError('12345', 6)).toEqual({ rule: 'min_length', params: { min: 6 } });
    expect(passwordError('x'.repeat(129), 6)).toEqual({ rule: 'max_length', params: { max: 128 } });
    expect(passwordError('🔑'.repeat(129), 6)).toEqual({ rule: 'max_length', params: { max: 128 } });
  });

  it('accepts 6 and 128 code points, however many bytes they take', () => {
    expect(passwordError('Xy-12z', 6)).toBeNull();
    expect(passwordError('🔑'.repeat(128), 6)).toBeNull();
    expect(passwordError('长城故宫天坛', 6)).toBeNull();
  });

  it('honours a configured minimum', () => {
    expect(passwordError('Xy-12z7', 8)).toEqual({ rule: 'min_length', params: { min: 8 } });
    expect(passwordError('Xy-12z78', 8)).toBeNull();
  });

  it('refuses only-whitespace passwords but keeps surrounding spaces', () => {
    expect(passwordError('        ', 6)).toEqual({ rule: 'required', params: {} });
    expect(passwordError('\u3000\u3000\t\t\n\n', 6)).toEqual({ rule: 'required', params: {} });
    expect(passwordError('  pass-word-x  ', 6)).toBeNull();
    expect(passwordError('   a   ', 6)).toBeNull();
  });
});

describe('nameError', () => {
  it.each(['A', 'Zhang San', '张'.repeat(50), '  padded  ', '🐱'.repeat(50)])('accepts %j', (value) => {
    expect(nameError(value)).toBeNull();
  });

  it.each(['', '   '])('refuses %j as missing', (value) => {
    expect(nameError(value)).toEqual({ rule: 'required', params: {} });
  });

  it.each(['n'.repeat(51), '张'.repeat(51)])('refuses %j as too long', (value) => {
    expect(nameError(value)).toEqual({ rule: 'max_length', params: { max: 50 } });
  });
});
