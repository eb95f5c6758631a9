import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Where `npm run build:web` writes the demo page (SPEC §11), from the working directory like DATA_DIR. */
export const DEMO_PAGE_DIR = resolve('web/dist');

/**
 * Serves the built demo page at `/` when it exists. `wildcard: false` gives each built file its own
 * route instead of a catch-all, so `/api/v1`, `/docs`, `/health` and `/metrics` keep their handlers and 404s.
 */
export function serveDemoPage(app: NestFastifyApplication, dir = DEMO_PAGE_DIR): void {
  if (existsSync(join(dir, 'index.html'))) {
    app.useStaticAssets({ root: dir, prefix: '/', wildcard: false });
  }
}
