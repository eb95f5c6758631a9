import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import consoleConfig from '#src/console/console.config.js';
import { packageRoot } from '#src/platform/index.js';

/** Where `npm run build:console` writes the console, found from the code rather than the working directory. */
export const CONSOLE_DIR = resolve(packageRoot(import.meta.dirname), 'console/dist');
/** Outside `/api/v1`, so the console's page never collides with the admin API it calls. */
export const CONSOLE_PREFIX = '/admin/';

/**
 * The admin console (SPEC §17): a built single page, served at `/admin/`, that calls the admin API with the
 * operator's own token. It adds no route of its own to the API: every decision stays with `@Auth('admin')`.
 */
@Module({ imports: [ConfigModule.forFeature(consoleConfig)] })
export class ConsoleModule implements OnModuleInit {
  private readonly logger = new Logger(ConsoleModule.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(consoleConfig.KEY) private readonly config: ConfigType<typeof consoleConfig>,
  ) {}

  onModuleInit(): void {
    if (!this.config.enabled) {
      return;
    }
    if (!existsSync(join(CONSOLE_DIR, 'index.html'))) {
      this.logger.warn(`admin console not built (${CONSOLE_DIR}): run npm run build`);
      return;
    }
    const adapter = this.adapterHost.httpAdapter as unknown as FastifyAdapter;
    // `wildcard: false` routes each built file, so nothing else under /admin is caught; `decorateReply: false`
    // because the demo page's static plugin already decorates the reply.
    void adapter.useStaticAssets({
      root: CONSOLE_DIR,
      prefix: CONSOLE_PREFIX,
      wildcard: false,
      decorateReply: false,
      redirect: true,
    });
  }
}
