import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The package root: the nearest folder above `from` with a package.json, from `src/` and `dist/src/` alike. */
export function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return dir;
}

/**
 * Where `npm run build:web` writes the demo page, found from the code rather than the working directory, so a
 * server started from another folder still serves it.
 */
export const DEMO_PAGE_DIR = resolve(packageRoot(import.meta.dirname), 'web/dist');

/**
 * Serves the built demo page at `/` when it exists. `wildcard: false` gives each built file its own
 * route instead of a catch-all, so `/api/v1`, `/docs`, `/health` and `/metrics` keep their handlers and 404s.
 */
export function serveDemoPage(app: NestFastifyApplication, dir = DEMO_PAGE_DIR): void {
  if (existsSync(join(dir, 'index.html'))) {
    app.useStaticAssets({ root: dir, prefix: '/', wildcard: false });
  }
}
