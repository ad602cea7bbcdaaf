// Jest 30 over the TypeScript sources, compiled on the fly by @swc/jest with the settings of .swcrc
// (the build's). NestJS 12 and a few of its dependencies ship as ES modules: Jest's module system
// loads CommonJS, so node_modules is compiled to CommonJS too (transformIgnorePatterns: []); the
// result is cached in .cache/jest. `npm test` (scripts/test.js) starts the servers and the shared
// stack first; `npx jest <path>` alone runs unit specs that need no server.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const { baseUrl, paths, ...jsc } = swcrc.jsc; // the @passway/common alias is moduleNameMapper's job here
const swc = (syntax) => [
  '@swc/jest',
  {
    swcrc: false,
    sourceMaps: syntax === 'typescript' ? 'inline' : false,
    module: { type: 'commonjs' },
    // Plain CommonJS files in node_modules stay scripts (no "use strict" added).
    isModule: syntax === 'ecmascript' ? 'unknown' : true,
    jsc: { ...jsc, parser: syntax === 'typescript' ? jsc.parser : { syntax: 'ecmascript' } },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': swc('typescript'),
    '^.+\\.(js|mjs|cjs)$': swc('ecmascript'),
  },
  transformIgnorePatterns: [],
  moduleNameMapper: {
    '^@passway/common$': '<rootDir>/libs/common/src',
    '^@passway/common/(.*)$': '<rootDir>/libs/common/src/$1',
  },
  cacheDirectory: '<rootDir>/.cache/jest',
  // The e2e files share one stack and one database: one file at a time, as before. One worker
  // (not in band) so a file that leaves a handle open cannot hold up the run, and the worker is
  // replaced when it grows.
  maxWorkers: 1,
  workerIdleMemoryLimit: '1GB',
  testTimeout: 300_000,
  verbose: true,
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: '<rootDir>/test-artifacts', outputName: 'junit.xml', addFileAttribute: 'true', classNameTemplate: '{classname}', titleTemplate: '{title}' }],
  ],
};
