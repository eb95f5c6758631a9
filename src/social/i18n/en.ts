import type { Catalog } from '#src/platform/index.js';

/** The social module's English messages: its error codes speak English through `defineErrorCodes` already. */
const en: Catalog = {
  rules: {
    redirect_uri_not_allowed: 'redirect_uri is not one of the allowed redirect URIs',
  },
};

export default en;
