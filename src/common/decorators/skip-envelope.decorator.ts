import { SetMetadata } from '@nestjs/common';

export const SKIP_ENVELOPE = 'skipEnvelope';

/** For routes outside `/api/v1` whose format is fixed elsewhere (health probes, metrics). */
export const SkipEnvelope = () => SetMetadata(SKIP_ENVELOPE, true);
