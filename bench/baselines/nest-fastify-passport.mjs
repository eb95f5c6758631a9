// Baseline (c): the NestJS docs recipe done right on Fastify, the floor of Gatehouse's own stack:
// @nestjs/platform-fastify, @nestjs/jwt's JwtModule and @nestjs/passport with passport-jwt's JwtStrategy,
// the secret given once as a KeyObject (so jsonwebtoken does not rebuild it from a string per verify), and
// `@UseGuards(AuthGuard('jwt'))` on the route. Plain JavaScript: decorators applied with Reflect.decorate.
import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';

if (!process.env.BASELINE_JWT_SECRET) {
  throw new Error('BASELINE_JWT_SECRET is required');
}
const secret = createSecretKey(Buffer.from(process.env.BASELINE_JWT_SECRET));

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      secretOrKey: secret,
      algorithms: ['HS256'],
    });
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
  [
    Module({
      imports: [PassportModule, JwtModule.register({ secret, signOptions: { expiresIn: '1h' } })],
      controllers: [CheckController],
      providers: [JwtStrategy],
    }),
  ],
  AppModule,
);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
