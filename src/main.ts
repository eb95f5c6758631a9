import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '#src/app.module.js';
import { configureApp, createFastifyAdapter } from '#src/app.setup.js';
import type { AppConfig } from '#src/config/app.config.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter());
  await configureApp(app);
  const { port } = app.get(ConfigService).getOrThrow<AppConfig>('app');
  await app.listen(port, '0.0.0.0');
}

void bootstrap();
