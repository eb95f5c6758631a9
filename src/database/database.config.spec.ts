import databaseConfig from '#src/database/database.config.js';

describe('databaseConfig', () => {
  const saved = { ...process.env };

  beforeEach(() => {
    delete process.env.DATABASE_QUERY_TIMEOUT;
    process.env.DATABASE_URL = 'sqlite:/tmp/gatehouse-config-spec.sqlite';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('bounds each query at 5 s unless DATABASE_QUERY_TIMEOUT says otherwise', () => {
    expect(databaseConfig().queryTimeoutMs).toBe(5000);
    process.env.DATABASE_QUERY_TIMEOUT = '1s';
    expect(databaseConfig().queryTimeoutMs).toBe(1000);
    process.env.DATABASE_QUERY_TIMEOUT = '30';
    expect(databaseConfig().queryTimeoutMs).toBe(30_000);
  });

  it('refuses a timeout that is malformed or under a second, naming the variable', () => {
    process.env.DATABASE_QUERY_TIMEOUT = 'soon';
    expect(() => databaseConfig()).toThrow(/DATABASE_QUERY_TIMEOUT/);
    process.env.DATABASE_QUERY_TIMEOUT = '0';
    expect(() => databaseConfig()).toThrow(/DATABASE_QUERY_TIMEOUT: must be at least 1s/);
  });
});
