import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const resolve = {
  alias: [{ find: /^#src\/(.*)$/, replacement: fileURLToPath(new URL('./src/$1', import.meta.url)) }],
};
const e2e = (name: string, db: 'sqlite' | 'mysql') => ({
  resolve,
  test: {
    name,
    globals: true,
    include: ['test/**/*.e2e-spec.ts'],
    env: { TEST_DB: db },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

/**
 * `npm test` runs the unit specs and the e2e suite on SQLite, and the same e2e
 * suite on MariaDB/MySQL when TEST_MYSQL_URL names a server (SPEC §2).
 */
export default defineConfig({
  resolve,
  test: {
    projects: [
      { resolve, test: { name: 'unit', globals: true, include: ['src/**/*.spec.ts'] } },
      e2e('e2e-sqlite', 'sqlite'),
      ...(process.env.TEST_MYSQL_URL ? [e2e('e2e-mysql', 'mysql')] : []),
    ],
  },
});
