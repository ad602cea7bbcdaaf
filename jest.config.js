// Jest 30 over the TypeScript sources, compiled on the fly by @swc/jest with the settings of .swcrc
// (the build's). NestJS 12 and a few of its dependencies ship as ES modules: Jest's module system
// loads CommonJS, so node_modules is compiled to CommonJS too (transformIgnorePatterns: []); the
// result is cached in .cache/jest. `npm test` (scripts/test.js) starts the servers and the shared
// stack first; `npx jest <path>` alone runs unit specs that need no server.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const { baseUrl, paths, ...jsc } = swcrc.jsc; // the aliases (@passway/common, …) are moduleNameMapper's job here
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

/** The path aliases of .swcrc (@passway/common, …) as Jest module mappings. */
function aliases(swcPaths) {
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Object.fromEntries(
    Object.entries(swcPaths).map(([alias, [target]]) =>
      alias.endsWith('/*')
        ? [`^${escape(alias.slice(0, -2))}/(.*)$`, `<rootDir>/${target.slice(0, -2)}/$1`]
        : [`^${escape(alias)}$`, `<rootDir>/${target}`],
    ),
  );
}

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testEnvironment: '<rootDir>/test/support/jest-environment.js',
  // The tests' own Kafka clients (event collectors, topic readers) get the apps' kafkajs fix too.
  setupFiles: ['<rootDir>/libs/common/src/kafka/request-queue-idle-fix.ts'],
  transform: {
    '^.+\\.ts$': swc('typescript'),
    '^.+\\.(js|mjs|cjs)$': swc('ecmascript'),
  },
  transformIgnorePatterns: [],
  moduleNameMapper: aliases(paths),
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
