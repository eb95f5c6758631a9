import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { MetricsService, Public, SkipEnvelope, Unprefixed } from '#src/platform/index.js';

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
  render(): Promise<string> {
    return this.metrics.render();
  }
}
