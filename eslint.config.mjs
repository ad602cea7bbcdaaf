// ESLint (flat config) with typescript-eslint's type-checked rules over the Node tree; Prettier owns
// formatting (eslint-config-prettier turns off the rules it would fight). `npm run lint` runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'test-artifacts/**', 'libs/sdk/src/schema.d.ts', 'apps/console/**', 'deploy/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked, prettier],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // One persistence style (docs/decisions.md, "Repositories hold every query"): outside a
    // `*.repository.ts`, app code neither injects TypeORM's DataSource, EntityManager or Repository
    // nor runs a query; it calls a repository, and passes a transaction's manager along unopened.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.repository.ts', '**/migrations/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Decorator > CallExpression[callee.name=/^Inject(DataSource|Repository|EntityManager)$/]',
          message: 'Only a *.repository.ts injects TypeORM (docs/decisions.md: repositories hold every query).',
        },
        {
          selector: "Decorator > CallExpression[callee.name='Inject'] > CallExpression[callee.name=/^get(DataSource|Repository|EntityManager)Token$/]",
          message: 'Only a *.repository.ts injects TypeORM (docs/decisions.md: repositories hold every query).',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(query|createQueryBuilder|getRepository)$/]',
          message: 'Queries live in a *.repository.ts (docs/decisions.md: repositories hold every query).',
        },
        {
          selector:
            'CallExpression[callee.object.name=/^(manager|entityManager|em|tx)$/][callee.property.name=/^(save|insert|update|delete|remove|find|findOne|findOneBy|findBy|count|countBy|exists|existsBy|upsert|increment|decrement|softDelete|create|merge|preload)$/]',
          message: 'Queries live in a *.repository.ts: pass the manager to a repository method (docs/decisions.md).',
        },
      ],
    },
  },
  {
    // Tests read JSON bodies as `any` on purpose: every response is checked against the OpenAPI
    // document instead (test/support/openapi-response-validator.ts). The promise and switch rules stay on.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended, prettier],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' } },
  },
);
