#!/usr/bin/env node
// Compiles apps/, libs/ and test/ to dist/ with swc (type checking is `npm run typecheck`),
// copies the .proto contracts next to the compiled code that loads them, then writes the
// gateway's OpenAPI document and the SDK types generated from it (libs/sdk, see its README).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const quiet = process.argv.includes('--quiet');
const sources = ['apps', 'libs', 'tools', 'test'].filter((dir) => fs.existsSync(path.join(root, dir)));

const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
const result = spawnSync(
  process.execPath,
  [swc, ...sources, '-d', 'dist', '--copy-files', '--quiet', '--config-file', '.swcrc'],
  { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
if (!quiet) console.error('build: compiled', sources.join(', '), 'to dist/');

const sdk = spawnSync(
  process.execPath,
  [path.join(root, 'dist/apps/gateway/src/openapi/write-openapi.js'), 'libs/sdk/openapi.json', 'libs/sdk/src/schema.d.ts'],
  { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' },
);
if (sdk.status !== 0) process.exit(sdk.status ?? 1);
if (!quiet) console.error('build: wrote libs/sdk/openapi.json and libs/sdk/src/schema.d.ts');
