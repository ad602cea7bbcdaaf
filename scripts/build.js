#!/usr/bin/env node
// Compiles apps/, libs/ and test/ to dist/ with swc (type checking is `npm run typecheck`),
// and copies the .proto contracts next to the compiled code that loads them. Then (unless
// --server-only) builds the console: the gateway's OpenAPI document → the console's generated
// API types (apps/console/src/shared/api/schema.d.ts) → `vite build` into dist/console.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const quiet = process.argv.includes('--quiet');
const serverOnly = process.argv.includes('--server-only');
const sources = ['apps', 'libs', 'tools', 'test'].filter((dir) => fs.existsSync(path.join(root, dir)));
const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';

function run(args, what) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio });
  if (result.status !== 0) {
    process.stderr.write(`build: ${what} failed\n`);
    process.exit(result.status ?? 1);
  }
}

const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
// The console is a browser app built by Vite, not part of the Node build.
run([swc, ...sources, '-d', 'dist', '--copy-files', '--quiet', '--config-file', '.swcrc', '--ignore', 'apps/console/**'], 'swc');
if (!quiet) console.error('build: compiled', sources.join(', '), 'to dist/');
if (serverOnly) process.exit(0);

const openapiJson = path.join(root, 'dist', 'openapi.json');
run([path.join(root, 'dist', 'tools', 'openapi-document.js'), openapiJson], 'the OpenAPI document');
run(
  [path.join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), openapiJson, '-o', path.join(root, 'apps', 'console', 'src', 'shared', 'api', 'schema.d.ts')],
  'openapi-typescript',
);
run([path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(root, 'apps', 'console', 'vite.config.mts'), '--logLevel', quiet ? 'error' : 'warn'], 'vite build');
if (!quiet) console.error('build: console built to dist/console');
