import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { takeErrorCoverage } from './openapi-contract.js';
import { ERROR_COVERAGE_DIR, type FileCoverage } from './error-coverage-file.js';

/**
 * A setupFile of the e2e projects: after each spec file, writes what its apps documented and which error answers
 * they gave, for the globalSetup's teardown (error-coverage.ts) to put together across files and workers. Written
 * for every file, even one that booted no app, so the teardown can tell a full run from a partial one.
 */
afterAll(() => {
  const testPath = expect.getState().testPath ?? 'unknown';
  const file = relative(join(ERROR_COVERAGE_DIR, '../../..'), testPath);
  const record: FileCoverage = { file, ...takeErrorCoverage() };
  const dir = join(ERROR_COVERAGE_DIR, `e2e-${process.env.TEST_DB ?? 'sqlite'}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${file.replace(/[^A-Za-z0-9.-]/g, '_')}.json`), JSON.stringify(record));
});
