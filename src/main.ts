import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '#src/app.module.js';
import { configureApp, createFastifyAdapter } from '#src/app.setup.js';
import type { AppConfig } from '#src/config/app.config.js';
import { logStartBanner } from '#src/logging/start-banner.js';

async function bootstrap(): Promise<void> {
  // Lines logged while the modules start are held until configureApp() installs the pino logger.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), { bufferLogs: true });
  await configureApp(app);
  const { port } = app.get(ConfigService).getOrThrow<AppConfig>('app');
  await app.listen(port, '0.0.0.0');
  logStartBanner(app);
}

void bootstrap();
