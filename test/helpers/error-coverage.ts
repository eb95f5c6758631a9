import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { COVERED_ELSEWHERE } from './error-coverage-exemptions.js';
import { ERROR_COVERAGE_DIR, type FileCoverage } from './error-coverage-file.js';

const ROOT = join(ERROR_COVERAGE_DIR, '../../..');

/** The spec files a full run of the project executes. */
function specFiles(project: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  return walk(join(ROOT, 'test'))
    .map((path) => relative(ROOT, path))
    .filter((file) => file.endsWith('.e2e-spec.ts') && !file.startsWith('test/browser'))
    .filter((file) => project === 'e2e-mysql' || !file.startsWith('test/mysql-only/'));
}

/**
 * The documented (operation, status, code) triples no test answered: not seen on that operation, not a shared
 * pipeline code seen on some operation, and not marked covered elsewhere.
 */
export function uncoveredErrors(records: FileCoverage[], coveredElsewhere: Record<string, string>): string[] {
  const seen = new Set(records.flatMap((r) => r.seen));
  const seenShared = new Set([...seen].map((key) => key.split(' ').slice(2).join(' ')));
  const documented = new Map(records.flatMap((r) => r.documented).map((t) => [t.key, t]));
  return [...documented.values()]
    .filter((t) => !seen.has(t.key) && !(t.shared && seenShared.has(t.key.split(' ').slice(2).join(' '))))
    .filter((t) => coveredElsewhere[t.key] === undefined)
    .map((t) => t.key)
    .sort();
}

export function failureMessage(project: string, uncovered: string[]): string {
  return [
    `${project}: ${uncovered.length} documented error answer(s) that no e2e test produced:`,
    ...uncovered.map((key) => `  ${key}`),
    'For each: add an e2e test that gets this answer from that operation; or, if the operation cannot answer it,',
    "remove the code from the operation's `@ApiEnvelope(..., { errors: [...] })`; or, if another test proves it",
    'for this operation too, add the line above to COVERED_ELSEWHERE in test/helpers/error-coverage-exemptions.ts',
    'with the reason.',
  ].join('\n');
}

/**
 * Issue 28 item 2, a globalSetup of the e2e projects: clears the per-file records at the start; at the end, when the
 * run executed every spec file of the project, fails if an operation documents an error that no test produced. A
 * partial run (one file, `-t`) cannot tell, and says so.
 */
export default function setup(project: TestProject): () => void {
  const dir = join(ERROR_COVERAGE_DIR, project.name);
  rmSync(dir, { recursive: true, force: true });
  return () => {
    const records = existsSync(dir)
      ? readdirSync(dir).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as FileCoverage)
      : [];
    const ran = new Set(records.map((r) => r.file));
    const missing = specFiles(project.name).filter((file) => !ran.has(file));
    if (missing.length > 0) {
      process.stdout.write(`${project.name}: error coverage not judged, ${missing.length} spec file(s) did not run\n`);
      return;
    }
    const uncovered = uncoveredErrors(records, COVERED_ELSEWHERE);
    if (uncovered.length > 0) {
      // Vitest 4 prints an error thrown here as "error during close" and still exits 0: set the exit code instead.
      process.stderr.write(`\n${failureMessage(project.name, uncovered)}\n`);
      process.exitCode = 1;
    }
  };
}
