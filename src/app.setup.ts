import { RequestMethod } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { useContainer } from 'class-validator';
import { AppModule } from '#src/app.module.js';
import { AllExceptionsFilter } from '#src/common/filters/all-exceptions.filter.js';
import { EnvelopeInterceptor } from '#src/common/interceptors/envelope.interceptor.js';
import { createValidationPipe } from '#src/common/validation/validation.pipe.js';

export const API_PREFIX = 'api/v1';

/** SPEC §3: bodies over 16 KiB are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** The HTTP adapter for `main.ts` and the e2e tests alike. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
}

/**
 * Everything a request meets on its way in and out, shared by `main.ts` and
 * every e2e test so that tests exercise what users get.
 */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  useContainer(app.select(AppModule), { fallbackOnErrors: true });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalInterceptors(new EnvelopeInterceptor(app.get(Reflector)));
  setUpSwagger(app);
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function setUpSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Gatehouse')
    .setDescription(
      'Authentication API. Every answer under /api/v1 is an envelope `{code, msg, data}`; errors add a stable `error` code.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
