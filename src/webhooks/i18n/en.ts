import type { Catalog } from '#src/platform/index.js';

/** The webhooks module's English messages: its error codes speak English through `defineErrorCodes` already. */
const en: Catalog = {};

export default en;
