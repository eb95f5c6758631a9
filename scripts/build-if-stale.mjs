// `npm start` and `npm run cli` build only what changed since the last build (issue 17.4, 17.5):
//   --server  `nest build` (incremental, never deleting dist/, so a running server keeps its files)
//             when a source is newer than the last successful build;
//   --web     the demo page (`npm run build:web`) when one of its sources is newer than web/dist.
//   --force   build the named targets whatever their age (`npm run build`), and stamp them.
// Modification times are enough here: a false "stale" costs one build, and `npm run build` always builds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TARGETS = {
  server: {
    stamp: 'dist/.build-stamp',
    sources: ['src', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'],
    build: ['npx', ['nest', 'build']],
  },
  web: {
    stamp: 'web/dist/index.html',
    // What web/vite.config.ts bundles: the page, the client and the server's input rules it imports.
    sources: [
      'web/index.html',
      'web/src',
      'web/vite.config.ts',
      'client/src',
      'src/common/validation',
      'package-lock.json',
    ],
    build: ['npm', ['run', 'build:web']],
  },
};

function newestMtime(path) {
  if (!existsSync(path)) {
    return 0;
  }
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return path.endsWith('.spec.ts') ? 0 : stat.mtimeMs;
  }
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const args = process.argv.slice(2).map((arg) => arg.replace(/^--/, ''));
const force = args.includes('force');
for (const name of args.filter((arg) => arg !== 'force')) {
  const target = TARGETS[name];
  if (!target) {
    throw new Error(`unknown target ${name}: use --server and/or --web`);
  }
  const built = existsSync(target.stamp) ? statSync(target.stamp).mtimeMs : 0;
  if (!force && Math.max(...target.sources.map(newestMtime)) <= built) {
    console.error(`${name}: up to date, not rebuilt`);
    continue;
  }
  const started = Date.now();
  execFileSync(target.build[0], target.build[1], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (name === 'server') {
    // Dated from the build's start, so a source saved during the build makes the next run build again.
    writeFileSync(target.stamp, `${new Date(started).toISOString()}\n`);
    utimesSync(target.stamp, new Date(started), new Date(started));
  }
}
