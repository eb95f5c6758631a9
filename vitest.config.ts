import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const resolve = {
  alias: [{ find: /^#src\/(.*)$/, replacement: fileURLToPath(new URL('./src/$1', import.meta.url)) }],
};
/** Drives Debian's Chromium against the demo page; its own project so it runs once, not per database. */
const BROWSER_SPEC = 'test/browser.e2e-spec.ts';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.REQUIRE_BROWSER_TESTS) {
  // CI sets REQUIRE_BROWSER_TESTS so that a missing browser fails the run instead of dropping the suite.
  throw new Error(`REQUIRE_BROWSER_TESTS is set but there is no Chromium at ${CHROMIUM}`);
}
const e2e = (name: string, db: 'sqlite' | 'mysql') => ({
  resolve,
  test: {
    name,
    globals: true,
    include: ['test/**/*.e2e-spec.ts'],
    // test/mysql-only/ needs a network database (e.g. the outage test's TCP proxy): MariaDB project only.
    exclude: [...configDefaults.exclude, BROWSER_SPEC, ...(db === 'mysql' ? [] : ['test/mysql-only/**'])],
    env: { TEST_DB: db },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

const browser = {
  resolve,
  test: {
    name: 'browser',
    globals: true,
    include: [BROWSER_SPEC],
    env: { TEST_DB: 'sqlite', CHROMIUM_PATH: CHROMIUM },
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
    projects: [
      { resolve, test: { name: 'unit', globals: true, include: ['src/**/*.spec.ts'] } },
      e2e('e2e-sqlite', 'sqlite'),
      ...(process.env.TEST_MYSQL_URL ? [e2e('e2e-mysql', 'mysql')] : []),
      ...(hasChromium ? [browser] : []),
    ],
  },
});
