import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** `{redirect_uri}`: where the provider sends the browser back; one of `SOCIAL_REDIRECT_URIS`, exactly. */
export class SocialStartDto {
  /** Must equal one of the configured `SOCIAL_REDIRECT_URIS`. */
  @ApiProperty({ example: 'http://localhost:3000/social-callback.html', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  redirect_uri: string;
}

/** `{authorize_url}`: send the browser there. */
export class SocialStartedDto {
  /** The provider's authorization page, carrying a single-use `state` valid for 10 minutes. */
  authorize_url: string;
}
