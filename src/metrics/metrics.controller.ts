import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { ApiErrors } from '#src/common/decorators/api-envelope.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { SkipEnvelope } from '#src/common/decorators/skip-envelope.decorator.js';
import { Unprefixed } from '#src/common/decorators/unprefixed.decorator.js';
import { MetricsTokenGuard } from '#src/metrics/metrics-token.guard.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/**
 * Prometheus text format, outside `/api/v1`. With METRICS_TOKEN set it needs `Authorization: Bearer <token>` (401
 * without); in production without a token it answers 404 (SPEC §3): operational counters are not for the public.
 */
@ApiTags('operations')
@Public()
@SkipEnvelope()
@Unprefixed()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiBearerAuth()
  @ApiOkResponse({
    description: 'The Prometheus text exposition format.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors(CoreErrors.UNAUTHORIZED, CoreErrors.NOT_FOUND)
  render(): Promise<string> {
    return this.metrics.render();
  }
}
