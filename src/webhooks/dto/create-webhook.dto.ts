import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsString, IsUrl, MaxLength } from 'class-validator';
import { OptionalField, Trim } from '#src/platform/index.js';

const URL_RULES = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class CreateWebhookDto {
  /**
   * Where events are POSTed. In production: https, and a public address unless in `WEBHOOK_ALLOWED_NETWORKS`.
   * @example https://hooks.example.com/gatehouse
   */
  @Trim()
  @IsString()
  @MaxLength(2048)
  @IsUrl(URL_RULES)
  url: string;

  /**
   * Audit event types to deliver (module types included), or `["*"]` for all of them.
   * @example ["login_success", "refresh_reuse"]
   */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  events: string[];

  /**
   * What the endpoint is for.
   * @example Security alerts to the on-call bot
   */
  @OptionalField()
  @Trim()
  @IsString()
  @MaxLength(200)
  description?: string;
}
