import jwtConfig from '#src/config/jwt.config.js';

describe('jwtConfig', () => {
  const saved = { ...process.env };

  beforeEach(() => {
    process.env.JWT_ACCESS_SECRET = 'unit-access-secret-0123456789abcdef0123456789';
    process.env.JWT_REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdef012345678';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('refuses EdDSA, which @nestjs/jwt cannot sign, naming JWT_ALGORITHM', () => {
    process.env.JWT_ALGORITHM = 'EdDSA';
    expect(() => jwtConfig()).toThrow(/JWT_ALGORITHM must be HS256, RS256 or ES256 \(EdDSA is not supported/);
  });

  it('defaults to HS256', () => {
    delete process.env.JWT_ALGORITHM;
    expect(jwtConfig().algorithm).toBe('HS256');
  });
});
