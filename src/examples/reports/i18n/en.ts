import type { Catalog } from '#src/platform/index.js';

/** The module's English messages. Its error codes speak English through `defineErrorCodes` already. */
const en: Catalog = {};

export default en;
