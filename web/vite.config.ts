import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app, built into dist/web and served by the API server at /app/
 * (same origin: the session cookie is SameSite=Strict). `vite` (dev) proxies
 * the API to a server on :8080.
 */
const api = 'http://127.0.0.1:8080';
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: Object.fromEntries(['/auth', '/me', '/reading', '/staff'].map((prefix) => [prefix, { target: api, changeOrigin: false }])),
  },
});
