import { type Catalog } from '#src/platform/index.js';

/** The MFA module's English messages: its error codes speak English through `defineErrorCodes` already. */
const en: Catalog = {};

export default en;
