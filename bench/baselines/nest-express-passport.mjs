// Baseline (b): the stock NestJS docs recipe ("Authentication" → "Implementing Passport JWT"):
// NestJS on Express (@nestjs/platform-express), @nestjs/passport, passport-jwt's JwtStrategy with a
// string `secretOrKey`, and `@UseGuards(AuthGuard('jwt'))` on the route. Plain JavaScript, so the
// decorators are applied by hand with Reflect.decorate instead of TypeScript's @ syntax.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

const secret = process.env.BASELINE_JWT_SECRET;
if (!secret) {
  throw new Error('BASELINE_JWT_SECRET is required');
}

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: secret });
  }

  validate(payload) {
    return { userId: Number(payload.sub), sessionId: payload.sid };
  }
}
Reflect.decorate([Injectable()], JwtStrategy);

class CheckController {
  check(req) {
    return { user_id: req.user.userId, session_id: req.user.sessionId };
  }

  health() {
    return { ok: true };
  }
}
Reflect.decorate([Controller()], CheckController);
Req()(CheckController.prototype, 'check', 0);
for (const [method, decorators] of [
  ['check', [Get('check'), UseGuards(AuthGuard('jwt'))]],
  ['health', [Get('health')]],
]) {
  const descriptor = Object.getOwnPropertyDescriptor(CheckController.prototype, method);
  Reflect.decorate(decorators, CheckController.prototype, method, descriptor);
}

class AppModule {}
Reflect.decorate(
  [Module({ imports: [PassportModule], controllers: [CheckController], providers: [JwtStrategy] })],
  AppModule,
);

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
