import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '#src/common/filters/error-response.js';
import type { I18nService } from '#src/common/i18n/i18n.service.js';

/**
 * One filter turns every exception into the envelope (immich `global-exception.filter.ts`), in the language
 * the request asks for (SPEC §14); what it logs stays English.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(private readonly i18n?: I18nService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest | undefined>();
    const locale = this.i18n?.localeOf(request?.headers?.['accept-language']);
    const response = toErrorResponse(exception, locale);
    if (response.unexpected) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    void reply.status(response.status).headers(response.headers).send(response.body);
  }
}
