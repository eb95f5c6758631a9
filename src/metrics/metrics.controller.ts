import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '#src/common/decorators/public.decorator.js';
import { SkipEnvelope } from '#src/common/decorators/skip-envelope.decorator.js';
import { Unprefixed } from '#src/common/decorators/unprefixed.decorator.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

/** Prometheus text format, outside `/api/v1`. Restrict it at the load balancer if it must not be public. */
@ApiTags('operations')
@Public()
@SkipEnvelope()
@Unprefixed()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'The Prometheus text exposition format.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
