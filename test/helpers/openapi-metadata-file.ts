import { fileURLToPath } from 'node:url';

/** Where the globalSetup writes the Swagger plugin's metadata for the tests (see openapi-metadata.ts). */
export const OPENAPI_METADATA_FILE = fileURLToPath(new URL('../.generated/openapi-metadata.ts', import.meta.url));
