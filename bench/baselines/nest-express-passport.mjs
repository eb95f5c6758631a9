// Baseline (b): the stock NestJS docs recipe on Express (@nestjs/platform-express), @nestjs/passport and
// passport-jwt's JwtStrategy with a string `secretOrKey` (see nest-recipe.mjs).
import { NestFactory } from '@nestjs/core';
import { baselineSecret, recipeModule } from './nest-recipe.mjs';

const AppModule = recipeModule({ strategyOptions: { secretOrKey: baselineSecret() } });
const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
