import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { doorServiceWorker } from './door-build.mts';

// The console is served by the gateway under /app (and by its own static container in Kubernetes).
// `npm run console:dev` proxies the API to a gateway on GATEWAY_URL (default http://localhost:3000).
const here = dirname(fileURLToPath(import.meta.url));
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: here,
  base: '/app/',
  plugins: [react(), doorServiceWorker(here)],
  resolve: {
    alias: {
      '@passway/sdk': resolve(here, '../../libs/sdk/src'),
      // The redemption rules the scans service uses, imported as they are (docs/door.md).
      '@passway/rules': resolve(here, '../../libs/common/src/redemption-rules/redemption-rules.ts'),
    },
  },
  build: {
    outDir: resolve(here, '../../dist/console'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    // Two entry points: the console, and the door app (its own page, bundle and service worker).
    rollupOptions: { input: { console: resolve(here, 'index.html'), door: resolve(here, 'door/index.html') } },
  },
  server: {
    proxy: { '/api': gateway, '/docs': gateway, '/p': gateway },
  },
});
