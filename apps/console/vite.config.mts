import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the gateway under /app (and by its own static container in Kubernetes).
// `npm run console:dev` proxies the API to a gateway on GATEWAY_URL (default http://localhost:3000).
const here = dirname(fileURLToPath(import.meta.url));
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: here,
  base: '/app/',
  plugins: [react()],
  resolve: { alias: { '@passway/sdk': resolve(here, '../../libs/sdk/src') } },
  build: {
    outDir: resolve(here, '../../dist/console'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': gateway, '/docs': gateway, '/p': gateway },
  },
});
