// The NestJS docs recipe ("Authentication" → "Implementing Passport JWT") shared by the two Nest baselines: a
// passport-jwt JwtStrategy, `@UseGuards(AuthGuard('jwt'))` on GET /check, and an open GET /health. Plain JavaScript,
// so the decorators are applied by hand with Reflect.decorate instead of TypeScript's @ syntax.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

/** The secret every baseline verifies with, from the bench runner. */
export function baselineSecret() {
  const secret = process.env.BASELINE_JWT_SECRET;
  if (!secret) {
    throw new Error('BASELINE_JWT_SECRET is required');
  }
  return secret;
}

/** The recipe's module; `strategyOptions` joins the bearer extractor, `imports` joins PassportModule. */
export function recipeModule({ strategyOptions, imports = [] }) {
  class JwtStrategy extends PassportStrategy(Strategy) {
    constructor() {
      super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, ...strategyOptions });
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
    [Module({ imports: [PassportModule, ...imports], controllers: [CheckController], providers: [JwtStrategy] })],
    AppModule,
  );
  return AppModule;
}
