#!/usr/bin/env node
// Compiles apps/, libs/ and test/ to dist/ with swc (type checking is `npm run typecheck`),
// and copies the .proto contracts next to the compiled code that loads them.
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
