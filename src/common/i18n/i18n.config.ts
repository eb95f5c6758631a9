import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional } from 'class-validator';
import { validateConfig } from '#src/config/validate-config.js';
import { LOCALES, type Locale } from '#src/common/i18n/locales.js';

class I18nEnv {
  @IsOptional() @IsIn(LOCALES) DEFAULT_LOCALE?: Locale;
}

export interface I18nConfig {
  /** SPEC §14: the language of answers whose `Accept-Language` names none we speak. */
  defaultLocale: Locale;
}

export default registerAs('i18n', (): I18nConfig => {
  const env = validateConfig(process.env, I18nEnv);
  return { defaultLocale: env.DEFAULT_LOCALE ?? 'en' };
});
