import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where each e2e spec file leaves what its apps documented and answered, one folder per Vitest project. */
export const ERROR_COVERAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../.generated/error-coverage');

/** What one spec file's apps documented and answered (see `takeErrorCoverage`). */
export interface FileCoverage {
  /** The spec file, relative to the repository. */
  file: string;
  documented: { key: string; shared: boolean }[];
  seen: string[];
}
