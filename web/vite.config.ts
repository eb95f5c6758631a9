import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The demo page: `npm run build:web` writes web/dist, which the app serves at `/`
 * (src/web/demo-page.ts). It imports the client and the server's input rules from source.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022' },
  server: {
    fs: { allow: [here('..')] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
