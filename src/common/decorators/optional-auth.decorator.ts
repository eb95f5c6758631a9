import { SetMetadata } from '@nestjs/common';

export const OPTIONAL_AUTH = 'optionalAuth';

/** A bearer token is checked when sent, but the route also serves callers without one. */
export const OptionalAuth = () => SetMetadata(OPTIONAL_AUTH, true);
