import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import appConfig from '#src/config/app.config.js';
import auditConfig from '#src/config/audit.config.js';
import databaseConfig from '#src/config/database.config.js';
import httpConfig from '#src/config/http.config.js';
import ipAllowlistConfig from '#src/config/ip-allowlist.config.js';
import jwtConfig from '#src/config/jwt.config.js';
import mfaConfig from '#src/config/mfa.config.js';
import passwordConfig from '#src/config/password.config.js';
import redisConfig from '#src/config/redis.config.js';
import throttleConfig from '#src/config/throttle.config.js';

/** Every namespace, validated once at start; read with `@Inject(x.KEY)`. */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: [
        appConfig,
        auditConfig,
        ipAllowlistConfig,
        databaseConfig,
        httpConfig,
        jwtConfig,
        mfaConfig,
        passwordConfig,
        redisConfig,
        throttleConfig,
      ],
    }),
  ],
})
export class AppConfigModule {}
