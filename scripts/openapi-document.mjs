// Writes the OpenAPI document the built app serves at /docs-json to the file named by the first argument.
// Run by scripts/client-types.mjs in a clean environment (see there); it boots dist/, not src/, because only
// `nest build` runs the Swagger CLI plugin that reads the response DTOs' properties and JSDoc (nest-cli.json).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';

const out = process.argv[2];
if (!out) {
  throw new Error('usage: node scripts/openapi-document.mjs <output.json>');
}
const dist = new URL('../dist/src/', import.meta.url);
const { AppModule } = await import(new URL('app.module.js', dist).href);
const { configureApp, createFastifyAdapter } = await import(new URL('app.setup.js', dist).href);
const app = await NestFactory.create(AppModule, createFastifyAdapter(), { logger: false });
try {
  await configureApp(app);
  const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
  if (res.statusCode !== 200) {
    throw new Error(`GET /docs-json answered ${res.statusCode}`);
  }
  writeFileSync(out, res.body);
} finally {
  await app.close();
}
