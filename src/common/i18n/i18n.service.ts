import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import i18nConfig from '#src/common/i18n/i18n.config.js';
import { negotiateLocale, type Locale } from '#src/common/i18n/locales.js';
import { errorMessage, fieldMessage, templateMessage, type MessageParams } from '#src/common/i18n/translator.js';

/** The language of a request and the messages in it, for the exception filter and for modules that send text. */
@Injectable()
export class I18nService {
  constructor(@Inject(i18nConfig.KEY) private readonly config: ConfigType<typeof i18nConfig>) {}

  get defaultLocale(): Locale {
    return this.config.defaultLocale;
  }

  /** From an `Accept-Language` header, q-values honoured, else DEFAULT_LOCALE (SPEC §14). */
  localeOf(acceptLanguage: string | string[] | undefined): Locale {
    return negotiateLocale(acceptLanguage, this.config.defaultLocale);
  }

  errorMessage(locale: Locale, code: string, sourceMessage?: string): string {
    return errorMessage(locale, code, sourceMessage);
  }

  fieldMessage(locale: Locale, field: string, rule: string, params: MessageParams = {}): string {
    return fieldMessage(locale, field, rule, params);
  }

  /** An SMS / email text (`defineMessageTemplates`); pass the recipient's locale, e.g. the request's. */
  template(locale: Locale, name: string, params: MessageParams = {}): string {
    return templateMessage(locale, name, params);
  }
}
