import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { JwksDto } from '#src/auth/tokens/dto/jwks.dto.js';
import { type PublicJwk, TokenService } from '#src/auth/tokens/token.service.js';
import { ApiEnvelope } from '#src/common/decorators/api-envelope.decorator.js';
import { AppException } from '#src/common/app.exception.js';
import { Public } from '#src/common/decorators/public.decorator.js';
import { SkipEnvelope } from '#src/common/decorators/skip-envelope.decorator.js';
import { CoreErrors } from '#src/common/error-code.js';
import { Unprefixed } from '#src/common/decorators/unprefixed.decorator.js';

/** RFC 8414/7517: other services verify access tokens from these public keys alone, current and retired. */
@ApiTags('operations')
@Public()
@SkipEnvelope()
@Unprefixed()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly tokens: TokenService) {}

  /** Published only with an asymmetric JWT_ALGORITHM: HS256 secrets are never public. */
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiEnvelope(JwksDto, { raw: true, errors: [CoreErrors.NOT_FOUND] })
  jwks(): { keys: PublicJwk[] } {
    return this.tokens.jwks() ?? this.notFound();
  }

  private notFound(): never {
    throw new AppException(CoreErrors.NOT_FOUND, 'No public keys: tokens are signed with HS256');
  }
}
