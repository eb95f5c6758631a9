import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The admin console: `npm run build:console` writes console/dist, which the app serves at `/admin/`
 * (src/console/console.module.ts). It imports the client and the server's locale tags from source.
 */
export default defineConfig({
  root: here('.'),
  base: '/admin/',
  publicDir: false,
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022' },
  server: {
    fs: { allow: [here('..')] },
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
