import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as platform from '#src/platform/index.js';

const SRC = fileURLToPath(new URL('../', import.meta.url));
const BARREL = 'platform/index.ts';
/** Value imports and re-exports by absolute path; `import type` is erased and cannot close a cycle at run time. */
const IMPORT = /^(?:import|export)\s+(?!type\s)[^;]*?from\s+'#src\/([^']+)\.js'/gms;

function importsOf(file: string): string[] {
  const text = readFileSync(SRC + file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => `${m[1]}.ts`).filter((dep) => existsSync(SRC + dep));
}

describe('the public import path', () => {
  it('is never imported by a file it re-exports, directly or through others (no import cycle)', () => {
    const seen = new Set<string>();
    const pending = importsOf(BARREL);
    const offenders: string[] = [];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) {
        continue;
      }
      seen.add(file);
      const deps = importsOf(file);
      if (deps.includes(BARREL)) {
        offenders.push(file);
      }
      pending.push(...deps);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('exports what a module needs', () => {
    for (const name of [
      'Auth',
      'Public',
      'CurrentUser',
      'AppException',
      'defineErrorCodes',
      'CoreErrors',
      'CoreAudit',
      'BuiltInRoles',
      'AuditService',
      'defineAuditEventTypes',
      'defineRoles',
      'RolesModule',
      'MetricsService',
    ]) {
      expect(platform).toHaveProperty(name);
    }
  });
});
