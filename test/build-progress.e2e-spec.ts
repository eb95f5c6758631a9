import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = new URL('../scripts/build-if-stale.mjs', import.meta.url).pathname;

/**
 * Issue 31.7: `npm start` says what it is building instead of ~30 s of silence. The script runs in a throw-away
 * project whose `nest build` and `build:web` are stand-ins that build nothing, so no real build is paid for here.
 */
describe('npm start building what changed', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-build-'));
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(SCRIPT, join(dir, 'scripts', 'build-if-stale.mjs'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'main.ts'), 'export {};\n');
    mkdirSync(join(dir, 'web', 'src'), { recursive: true });
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html>\n');
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.bin', 'nest'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'node_modules', '.bin', 'nest'), 0o755);
    const web = 'mkdir -p web/dist && touch web/dist/index.html';
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'x', private: true, scripts: { 'build:web': web } }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = () =>
    spawnSync('node', ['scripts/build-if-stale.mjs', '--web', '--server'], { cwd: dir, encoding: 'utf8' });

  it('prints what it builds and when each part is done, then that nothing needs building on the next start', () => {
    const first = run();
    expect(first.status).toBe(0);
    const lines = first.stderr.split('\n').filter((line) => /^(web|server): /.test(line));
    expect(lines).toEqual([
      expect.stringMatching(/^web: building the demo page/),
      expect.stringMatching(/^web: built in \d+ s$/),
      expect.stringMatching(/^server: building the server into dist\/ .*about 30 s the first time/),
      expect.stringMatching(/^server: built in \d+ s$/),
    ]);

    const second = run();
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/^web: up to date, not rebuilt$/m);
    expect(second.stderr).toMatch(/^server: up to date, not rebuilt$/m);
    expect(second.stderr).not.toMatch(/building/);
  });
});
