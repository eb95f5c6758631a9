// Baseline (c): the NestJS docs recipe done right on Fastify, the floor of Gatehouse's own stack:
// @nestjs/platform-fastify, @nestjs/jwt's JwtModule and @nestjs/passport with passport-jwt's JwtStrategy, the
// secret given once as a KeyObject (so jsonwebtoken does not rebuild it from a string per verify) and the
// algorithm pinned (see nest-recipe.mjs for the shared module).
import { createSecretKey } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { baselineSecret, recipeModule } from './nest-recipe.mjs';

const secret = createSecretKey(Buffer.from(baselineSecret()));
const AppModule = recipeModule({
  strategyOptions: { secretOrKey: secret, algorithms: ['HS256'] },
  imports: [JwtModule.register({ secret, signOptions: { expiresIn: '1h' } })],
});
const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
