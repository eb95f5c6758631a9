import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import i18nConfig from '#src/common/i18n/i18n.config.js';
import { I18nService } from '#src/common/i18n/i18n.service.js';

@Global()
@Module({
  imports: [ConfigModule.forFeature(i18nConfig)],
  providers: [I18nService],
  exports: [I18nService],
})
export class I18nModule {}
