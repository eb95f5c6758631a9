import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '#src/app.module.js';
import { configureApp, createFastifyAdapter } from '#src/app.setup.js';
import type { AppConfig } from '#src/config/app.config.js';
import { loadConfigFactories } from '#src/config/config-files.js';
import { collectConfigProblems, ConfigError, StartError } from '#src/config/config-report.js';
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

/**
 * The whole start (`main.ts`; the tests of what a failed start prints): boots, listens on HOST:PORT, logs the banner. A start that fails throws: a `ConfigError` or `StartError` that
 * `startFailureText()` prints as one readable block, or anything else with its stack.
 */
export async function startServer(): Promise<NestFastifyApplication> {
  await checkConfig();
  // Lines logged while the modules start are held until configureApp() installs the pino logger. A failed start
  // throws here instead of Nest printing the error's stack and exiting: bootstrap() reports it in one block.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), {
    bufferLogs: true,
    abortOnError: false,
    autoFlushLogs: false,
  });
  await configureApp(app);
  const { port, host } = app.get(ConfigService).getOrThrow<AppConfig>('app');
  await listen(app, port, host);
  // Held until now so that a port in use does not first log "successfully started" (issue 24.7).
  app.flushLogs();
  logStartBanner(app, host === '0.0.0.0' || host === '::' ? 'localhost' : host);
  return app;
}

/** A port that is taken (or not ours to bind) is one line naming PORT, not a stack trace (SPEC §10). */
async function listen(app: NestFastifyApplication, port: number, host: string): Promise<void> {
  try {
    await app.listen(port, host);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') {
      throw error;
    }
    await app.close();
    const why = code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges this process lacks';
    throw new StartError(
      'PORT',
      `Gatehouse cannot start: port ${port} on ${host} ${why}; set PORT to a free port (or HOST), then start again.`,
    );
  }
}
