import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional } from 'class-validator';
import { validateConfig, EnvDoc } from '#src/config/validate-config.js';
import { LOCALES, type Locale } from '#src/common/i18n/locales.js';

class I18nEnv {
  @EnvDoc('Language of messages when Accept-Language names none on offer: en or zh-CN.', 'en')
  @IsOptional()
  @IsIn(LOCALES)
  DEFAULT_LOCALE?: Locale;
}

export interface I18nConfig {
  /** SPEC §14: the language of answers whose `Accept-Language` names none we speak. */
  defaultLocale: Locale;
}

export default registerAs('i18n', (): I18nConfig => {
  const env = validateConfig(process.env, I18nEnv);
  return { defaultLocale: env.DEFAULT_LOCALE ?? 'en' };
});
