import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Opts a route out of authentication in the global `SecurityGuard` (Nest sample 19-auth-jwt). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
