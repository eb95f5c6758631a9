import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import appConfig from '#src/config/app.config.js';
import httpConfig from '#src/config/http.config.js';
import jwtConfig from '#src/config/jwt.config.js';

/**
 * The app-wide namespaces only, validated at start; read with `@Inject(x.KEY)`.
 * A module's own namespace lives beside it and is loaded with
 * `ConfigModule.forFeature` by that module (STYLE 12), validated as the module starts.
 * `jwt` stays here: auth, sessions and mfa all read it, and none of them may import another's folder for it.
 */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: [appConfig, httpConfig, jwtConfig],
    }),
  ],
})
export class AppConfigModule {}
