import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsString, IsUrl, MaxLength } from 'class-validator';
import { OptionalField, Trim } from '#src/platform/index.js';

export class UpdateWebhookDto {
  /**
   * A new receiver URL, checked like on creation.
   * @example https://hooks.example.com/gatehouse
   */
  @OptionalField()
  @Trim()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url?: string;

  /**
   * Audit event types to deliver, or `["*"]`; never empty.
   * @example ["*"]
   */
  @OptionalField()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  events?: string[];

  /**
   * A disabled endpoint gets nothing: events that happen meanwhile are not queued. Enabling clears the reason.
   * @example true
   */
  @OptionalField()
  @IsBoolean()
  enabled?: boolean;

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
