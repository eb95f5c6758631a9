// Writes .env.example from the config schemas (issue 17.3). `npm run env:example` builds dist/ first when stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../dist/src/', import.meta.url));
const { renderEnvExample } = await import(new URL('../dist/src/config/env-example.js', import.meta.url).href);
writeFileSync(new URL('../.env.example', import.meta.url), await renderEnvExample(root));
console.log('wrote .env.example');
