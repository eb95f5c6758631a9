import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  collectConfigProblems,
  ConfigError,
  formatConfigReport,
  maskValue,
  problemsOf,
} from '#src/config/config-report.js';
import databaseConfig from '#src/database/database.config.js';
import jwtConfig from '#src/config/jwt.config.js';

describe('config report', () => {
  it('masks secrets by name and the password of a URL, and shows other values', () => {
    expect(maskValue('JWT_ACCESS_SECRET', 'short')).toBe('****');
    expect(maskValue('MFA_ENCRYPTION_KEY', 'abc')).toBe('****');
    expect(maskValue('SMTP_PASSWORD', 'abc')).toBe('****');
    expect(maskValue('DATABASE_URL', 'postgres://root:hunter2@db/app')).toBe('postgres://root:****@db/app');
    expect(maskValue('REDIS_URL', 'redis-cluster://app:hunter2@10.0.0.1:7000,10.0.0.2:7000')).toBe(
      '"redis-cluster://app:****@10.0.0.1:7000,10.0.0.2:7000"',
    );
    expect(maskValue('PORT', 'abc')).toBe('"abc"');
    expect(maskValue('PORT', undefined)).toBe('(unset)');
  });

  it('reads the lines of a plain "Invalid configuration" error and keeps any other error as one line', () => {
    const plain = new Error('Invalid configuration:\n  ROLES: "Bad" is not a role name\n  TRUST_PROXY: bad');
    expect(problemsOf(plain)).toEqual([
      { variable: 'ROLES', rule: '"Bad" is not a role name' },
      { variable: 'TRUST_PROXY', rule: 'bad' },
    ]);
    expect(problemsOf(new Error('ENOENT: no such file\n    at x'))).toEqual([
      { variable: '', rule: 'ENOENT: no such file' },
    ]);
  });

  it('prints each problem once, with its variable, masked value and rule', () => {
    const problems = [
      { variable: 'PORT', rule: 'PORT must be an integer number' },
      { variable: 'PORT', rule: 'PORT must be an integer number' },
      { variable: 'JWT_ACCESS_SECRET', rule: 'must be longer than or equal to 32 characters' },
    ];
    const report = formatConfigReport(problems, { PORT: 'abc', JWT_ACCESS_SECRET: 'hunter2' });
    expect(report.split('\n')).toEqual([
      'Gatehouse cannot start: 2 configuration problems.',
      '  ✗ PORT="abc": must be an integer number',
      '  ✗ JWT_ACCESS_SECRET=****: must be longer than or equal to 32 characters',
      expect.stringContaining('.env.example'),
    ]);
  });

  describe('one namespace with several problems (issue 31.5)', () => {
    const saved = { ...process.env };
    beforeEach(() => {
      process.env.JWT_ACCESS_SECRET = 'unit-access-secret-0123456789abcdef0123456789';
      process.env.JWT_REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdef012345678';
    });
    afterEach(() => {
      process.env = { ...saved };
    });

    it('reports the checks after a failed type check too, in every namespace at once', () => {
      Object.assign(process.env, {
        // database: a type check fails (DATABASE_POOL_SIZE), and a later range check (DATABASE_QUERY_TIMEOUT) too.
        DATABASE_URL: 'mysql://root@127.0.0.1:3306/app',
        DATABASE_POOL_SIZE: 'many',
        DATABASE_QUERY_TIMEOUT: '0',
        // jwt: a type check fails (JWT_ALGORITHM), and the cross-field lifetimes after it.
        JWT_ALGORITHM: 'none',
        JWT_ACCESS_TTL: '1h',
        JWT_REFRESH_TTL: '30m',
      });
      const variables = collectConfigProblems([databaseConfig, jwtConfig]).map((p) => p.variable);
      expect(variables).toEqual(
        expect.arrayContaining(['DATABASE_POOL_SIZE', 'DATABASE_QUERY_TIMEOUT', 'JWT_ALGORITHM', 'JWT_REFRESH_TTL']),
      );
      expect(variables.every((variable) => variable !== '')).toBe(true);
    });

    it('still throws at the first refused namespace outside a report, as Nest loads it', () => {
      Object.assign(process.env, { DATABASE_POOL_SIZE: 'many' });
      expect(() => databaseConfig()).toThrow(ConfigError);
    });
  });

  describe('token lifetimes (cross-field)', () => {
    const saved = { ...process.env };
    beforeEach(() => {
      process.env.JWT_ACCESS_SECRET = 'unit-access-secret-0123456789abcdef0123456789';
      process.env.JWT_REFRESH_SECRET = 'unit-refresh-secret-0123456789abcdef012345678';
    });
    afterEach(() => {
      process.env = { ...saved };
    });

    it('refuses JWT_REFRESH_TTL shorter than JWT_ACCESS_TTL and SESSION_MAX_AGE shorter than it, both at once', () => {
      Object.assign(process.env, { JWT_ACCESS_TTL: '1h', JWT_REFRESH_TTL: '30m', SESSION_MAX_AGE: '10m' });
      expect(() => jwtConfig()).toThrow(ConfigError);
      expect(() => jwtConfig()).toThrow(
        /JWT_REFRESH_TTL: must be at least JWT_ACCESS_TTL[\s\S]*SESSION_MAX_AGE: must be at least JWT_REFRESH_TTL/,
      );
    });

    it('accepts equal lifetimes', () => {
      Object.assign(process.env, { JWT_ACCESS_TTL: '1h', JWT_REFRESH_TTL: '1h', SESSION_MAX_AGE: '3600' });
      expect(jwtConfig()).toMatchObject({ accessTtl: 3600, refreshTtl: 3600, sessionMaxAge: 3600 });
    });
  });

  describe('the compiled server (SPEC §2)', () => {
    let dataDir: string;
    beforeAll(() => {
      // Incremental: builds only when a source is newer than dist/ (CI has built it already).
      execFileSync('node', ['scripts/build-if-stale.mjs', '--server'], { stdio: 'ignore' });
      dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
    }, 180_000);
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('reports every bad variable in one block without a stack trace, masks secrets, and exits 1', () => {
      const env = {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        PORT: 'abc',
        JWT_ACCESS_SECRET: 'hunter2-too-short',
        DATABASE_URL: 'postgres://root:hunter2@db/app',
        ROLES: 'Bad Role',
      };
      const run = spawnSync('node', ['dist/src/main.js'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines[0]).toBe('Gatehouse cannot start: 4 configuration problems.');
      expect(lines).toContain('  ✗ PORT="abc": must be an integer number');
      expect(lines).toContainEqual(expect.stringMatching(/^ {2}✗ JWT_ACCESS_SECRET=\*\*\*\*: must be longer/));
      expect(lines).toContainEqual(expect.stringMatching(/^ {2}✗ DATABASE_URL=postgres:\/\/root:\*\*\*\*@db\/app: /));
      expect(lines).toContainEqual(expect.stringMatching(/^ {2}✗ ROLES="Bad Role": /));
      expect(lines).toHaveLength(6);
      expect(run.stderr).not.toContain('hunter2');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
