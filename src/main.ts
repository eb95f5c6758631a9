import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '#src/app.module.js';
import { configureApp, createFastifyAdapter } from '#src/app.setup.js';
import type { AppConfig } from '#src/config/app.config.js';
import { loadConfigFactories } from '#src/config/config-files.js';
import { collectConfigProblems, ConfigError, startFailureText } from '#src/config/config-report.js';
import { readTrustProxy } from '#src/config/trust-proxy.js';
import { logStartBanner } from '#src/logging/start-banner.js';

/**
 * SPEC §2: every bad variable in one readable block, before Nest boots, instead of the first one each module
 * trips over (as a Nest stack trace, a raw crash or a JSON log line).
 */
async function checkConfig(): Promise<void> {
  const factories = await loadConfigFactories(import.meta.dirname);
  // The factories run again when Nest boots, and log then (the dev-secrets warning) through the app's logger.
  Logger.overrideLogger(false);
  const problems = collectConfigProblems([() => readTrustProxy(), ...factories]);
  // No ANSI colour codes in a file or a journal: colour only for a terminal.
  Logger.overrideLogger(new ConsoleLogger({ colors: Boolean(process.stdout.isTTY) }));
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
}

async function bootstrap(): Promise<void> {
  await checkConfig();
  // Lines logged while the modules start are held until configureApp() installs the pino logger.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), { bufferLogs: true });
  await configureApp(app);
  const { port } = app.get(ConfigService).getOrThrow<AppConfig>('app');
  await app.listen(port, '0.0.0.0');
  logStartBanner(app);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${startFailureText(error)}\n`);
  process.exit(1);
});
