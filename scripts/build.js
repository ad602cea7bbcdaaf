#!/usr/bin/env node
// Compiles apps/, libs/ and test/ to dist/ with swc (type checking is `npm run typecheck`),
// copies the .proto contracts next to the compiled code that loads them, then writes the
// gateway's OpenAPI document and the SDK types generated from it (libs/sdk, see its README).
// Then, unless --server-only, builds the console (apps/console, on the SDK) with Vite into dist/console.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const quiet = process.argv.includes('--quiet');
const serverOnly = process.argv.includes('--server-only');
const sources = ['apps', 'libs', 'tools', 'test'].filter((dir) => fs.existsSync(path.join(root, dir)));
const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';

function run(args, what, env = process.env) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio, env });
  if (result.status !== 0) {
    process.stderr.write(`build: ${what} failed\n`);
    process.exit(result.status ?? 1);
  }
}

const swc = path.join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
// The console is a browser app built by Vite, not part of the Node build.
run([swc, ...sources, '-d', 'dist', '--copy-files', '--quiet', '--config-file', '.swcrc', '--ignore', 'apps/console/**'], 'swc');
if (!quiet) console.error('build: compiled', sources.join(', '), 'to dist/');

run(
  [path.join(root, 'dist/apps/gateway/src/openapi/write-openapi.js'), 'libs/sdk/openapi.json', 'libs/sdk/src/schema.d.ts'],
  'the OpenAPI document and SDK types',
);
if (!quiet) console.error('build: wrote libs/sdk/openapi.json and libs/sdk/src/schema.d.ts');
if (serverOnly) process.exit(0);

run(
  [
    path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    path.join(root, 'apps', 'console', 'vite.config.mts'),
    '--logLevel',
    quiet ? 'error' : 'warn',
  ],
  'vite build',
  // The bundle (and so its hashed file names) must not depend on the caller's NODE_ENV: `npm start`
  // in development and `npm test` build the same files, so a running gateway's index.html keeps
  // naming assets that exist.
  { ...process.env, NODE_ENV: 'production' },
);
if (!quiet) console.error('build: console built to dist/console');
