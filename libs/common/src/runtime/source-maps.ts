import { setSourceMapsSupport } from 'node:module';

// Imported first by every app's main.ts, before any other module loads: stack traces point into
// our TypeScript, while node_modules' source maps (thousands of files, about 12 MB of every
// process's memory under `--enable-source-maps`) are never read.
setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
