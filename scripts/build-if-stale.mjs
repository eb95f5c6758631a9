// `npm start` and `npm run cli` build only what changed since the last build (issue 17.4, 17.5):
//   --server  `nest build` (incremental, never deleting dist/, so a running server keeps its files)
//             when a source is newer than the last successful build;
//   --web     the demo page (`npm run build:web`) when one of its sources is newer than web/dist.
//   --console the admin console (`npm run build:console`) likewise, against console/dist.
//   --force   build the named targets whatever their age (`npm run build`), and stamp them.
// Modification times are enough here: a false "stale" costs one build, and `npm run build` always builds.
// Runs at once (two test files needing dist/, or `npm start` during a test run) take turns through a lock, so that
// one build never writes over another and the second finds dist/ fresh instead of building it again.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TARGETS = {
  server: {
    stamp: 'dist/.build-stamp',
    sources: ['src', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'],
    build: ['npx', ['nest', 'build']],
    doing: 'building the server into dist/ (nest build: about 30 s the first time, seconds after a change)',
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
    doing: 'building the demo page into web/dist/ (vite)',
  },
  console: {
    stamp: 'console/dist/index.html',
    // What console/vite.config.ts bundles: the console, the client and the locale tags it imports.
    sources: ['console/index.html', 'console/src', 'console/vite.config.ts', 'client/src', 'package-lock.json'],
    build: ['npm', ['run', 'build:console']],
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

const LOCK = 'dist/.build-lock';
const LOCK_WAIT_MS = 10 * 60_000;

function holderAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Takes the lock (a directory: creating one is atomic), waiting while a live process holds it. */
function lock() {
  mkdirSync('dist', { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') {
        throw error;
      }
    }
    const pid = Number(existsSync(join(LOCK, 'pid')) ? readFileSync(join(LOCK, 'pid'), 'utf8') : NaN);
    if (Number.isInteger(pid) && !holderAlive(pid)) {
      rmSync(LOCK, { recursive: true, force: true }); // left by a build that was killed
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${LOCK} is held by process ${pid}; remove it if no build is running`);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

const args = process.argv.slice(2).map((arg) => arg.replace(/^--/, ''));
const force = args.includes('force');
lock();
try {
  build();
} finally {
  rmSync(LOCK, { recursive: true, force: true });
}

function build() {
  for (const name of args.filter((arg) => arg !== 'force')) {
    const target = TARGETS[name];
    if (!target) {
      throw new Error(`unknown target ${name}: use --server, --web and/or --console`);
    }
    const built = existsSync(target.stamp) ? statSync(target.stamp).mtimeMs : 0;
    if (!force && Math.max(...target.sources.map(newestMtime)) <= built) {
      console.error(`${name}: up to date, not rebuilt`);
      continue;
    }
    const started = Date.now();
    // Issue 31.7: a first build takes about 30 s of otherwise silent work; say what is happening, and when it is done.
    console.error(`${name}: ${target.doing}…`);
    execFileSync(target.build[0], target.build[1], { stdio: ['ignore', 'inherit', 'inherit'] });
    console.error(`${name}: built in ${Math.round((Date.now() - started) / 1000)} s`);
    if (name === 'server') {
      // Dated from the build's start, so a source saved during the build makes the next run build again.
      writeFileSync(target.stamp, `${new Date(started).toISOString()}\n`);
      utimesSync(target.stamp, new Date(started), new Date(started));
    }
  }
}
