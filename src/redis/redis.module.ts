import { Global, Module } from '@nestjs/common';
import { RedisService } from '#src/redis/redis.service.js';

/** One Redis connection per instance, shared by throttling, revocation and readiness; inert without REDIS_URL. */
@Global()
@Module({
  providers: [RedisService],
  exports: [RedisService],
})
export class RedisModule {}
