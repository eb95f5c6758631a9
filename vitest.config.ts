import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const resolve = {
  alias: [{ find: /^#src\/(.*)$/, replacement: fileURLToPath(new URL('./src/$1', import.meta.url)) }],
};
/** Drive Debian's Chromium against the demo page; their own project so they run once, not per database. */
const BROWSER_SPECS = [
  'test/browser.e2e-spec.ts',
  'test/browser-codes.e2e-spec.ts',
  'test/browser-swagger.e2e-spec.ts',
  'test/browser-console.e2e-spec.ts',
  'test/browser-console-webhooks.e2e-spec.ts',
  'test/browser-swagger-execute.e2e-spec.ts',
  'test/browser-social.e2e-spec.ts',
];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.REQUIRE_BROWSER_TESTS) {
  // CI sets REQUIRE_BROWSER_TESTS so that a missing browser fails the run instead of dropping the suite.
  throw new Error(`REQUIRE_BROWSER_TESTS is set but there is no Chromium at ${CHROMIUM}`);
}
/**
 * Tests run in a shuffled order so that none can lean on another having run first (each e2e test
 * isolates itself with unique users; a file shares one app). The seed is fixed, and Vitest prints it, so a
 * failing order can be replayed; TEST_SEED tries another. Vitest reads `sequence` from the root config only.
 */
const SEED = Number(process.env.TEST_SEED ?? 20261201);

const e2e = (name: string, db: 'sqlite' | 'mysql') => ({
  resolve,
  test: {
    name,
    globals: true,
    // Every file boots its own app on its own database and leaves no global state behind, so the workers keep
    // their module cache between files: Nest, TypeORM and the app are imported once per worker, not per file.
    isolate: false,
    include: ['test/**/*.e2e-spec.ts'],
    // test/mysql-only/ needs a network database (e.g. the outage test's TCP proxy): MariaDB project only.
    exclude: [...configDefaults.exclude, ...BROWSER_SPECS, ...(db === 'mysql' ? [] : ['test/mysql-only/**'])],
    env: { TEST_DB: db },
    // The Swagger plugin's metadata, which `nest build` compiles in, for the OpenAPI contract check; and the check
    // that every documented error is produced by some test, from what each file's apps answered.
    globalSetup: ['test/helpers/openapi-metadata.ts', 'test/helpers/error-coverage.ts'],
    setupFiles: ['test/helpers/error-coverage-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

const browser = {
  resolve,
  test: {
    name: 'browser',
    globals: true,
    include: BROWSER_SPECS,
    env: { TEST_DB: 'sqlite', CHROMIUM_PATH: CHROMIUM },
    globalSetup: ['test/helpers/openapi-metadata.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
};

/**
 * `npm test` runs the unit specs and the e2e suite on SQLite, the same e2e
 * suite on MariaDB/MySQL when TEST_MYSQL_URL names a server (SPEC §2), and the
 * browser suite when Chromium is installed.
 */
export default defineConfig({
  resolve,
  test: {
    // Vitest's default on 2 cores is one worker, which sits idle while a test waits on MariaDB or Argon2; two
    // overlap that. Forks (the default pool) rather than threads: better-sqlite3 and @node-rs/argon2 are native.
    maxWorkers: 2,
    // Tests are shuffled within each file. Files keep Vitest's order: shuffling them interleaves the projects,
    // which costs the workers their module cache (import time went from 115 s to 410 s), and they cannot depend
    // on each other anyway, each booting its own app on its own database.
    sequence: { shuffle: { files: false, tests: true }, seed: SEED },
    projects: [
      // Unit specs share their workers' module cache too: they put back every variable they set (46 s -> 12 s).
      // The few that spawn the compiled server or import every config schema take seconds on a loaded machine.
      {
        resolve,
        test: { name: 'unit', globals: true, include: ['src/**/*.spec.ts'], isolate: false, testTimeout: 30_000 },
      },
      e2e('e2e-sqlite', 'sqlite'),
      ...(process.env.TEST_MYSQL_URL ? [e2e('e2e-mysql', 'mysql')] : []),
      // Boots the built app once to compare the generated client types with its document: not per database.
      {
        resolve,
        test: {
          name: 'client-types',
          globals: true,
          include: ['test/client-types.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      ...(hasChromium ? [browser] : []),
    ],
  },
});
