import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import redisConfig from '#src/redis/redis.config.js';
import { RedisService } from '#src/redis/redis.service.js';

/** One Redis connection per instance, shared by throttling, revocation and readiness; inert without REDIS_URL. */
@Global()
@Module({
  imports: [ConfigModule.forFeature(redisConfig)],
  providers: [RedisService],
  exports: [RedisService],
})
export class RedisModule {}
