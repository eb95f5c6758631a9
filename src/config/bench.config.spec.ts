import benchConfig from '#src/config/bench.config.js';

describe('benchConfig', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
  });

  it('leaves every feature in when BENCH_DISABLE is unset, in production too', () => {
    delete process.env.BENCH_DISABLE;
    process.env.NODE_ENV = 'production';
    expect(benchConfig().disabled.size).toBe(0);
  });

  it('reads the features a benchmark leaves out, once, as a set', () => {
    process.env.NODE_ENV = 'test';
    process.env.BENCH_DISABLE = ' envelope, hook:hash-queue-gate ,revocation';
    expect([...benchConfig().disabled]).toEqual(['envelope', 'hook:hash-queue-gate', 'revocation']);
  });

  it('refuses to start a production build without some of its features, naming BENCH_DISABLE', () => {
    process.env.NODE_ENV = 'production';
    process.env.BENCH_DISABLE = 'security-headers';
    expect(() => benchConfig()).toThrow(/BENCH_DISABLE: is for benchmarks only and refused in production/);
  });

  it('refuses a feature it does not know instead of measuring nothing', () => {
    process.env.NODE_ENV = 'test';
    process.env.BENCH_DISABLE = 'envelop';
    expect(() => benchConfig()).toThrow(/BENCH_DISABLE: unknown feature\(s\) envelop/);
  });
});
