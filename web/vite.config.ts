import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The SPA lives in web/ and builds to web/dist, which the API server serves at /.
 * `npx vite --config web/vite.config.ts` runs a dev server that forwards /api to ICVGATE_API
 * (default http://127.0.0.1:8080, an `npm run dev` server).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': process.env.ICVGATE_API ?? 'http://127.0.0.1:8080' },
  },
});
