// Lint rules enforce the design's rules (DESIGN.md, STYLE.md) rather than hoping for them:
// one direction of dependency, no deep imports across packages, a pure matching core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noDeepImports = {
  group: ['@exbox/*/src/*', '@exbox/*/dist/*', '**/packages/*/src/*', '../../*/src/*'],
  message: "Import another package only through its public entry ('@exbox/name').",
};

// Packages each layer must not import (apps -> api -> domain -> ledger/matching -> db).
const layer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          noDeepImports,
          ...forbidden.map((name) => ({
            group: [name, `${name}/*`],
            message: `${files[0]} must not depend on ${name} (DESIGN.md: dependencies point one way).`,
          })),
        ],
      },
    ],
  },
});

const banned = (message) => [
  { object: 'Date', property: 'now', message },
  { object: 'Math', property: 'random', message },
  { object: 'process', property: 'env', message },
  { object: 'performance', property: 'now', message },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.data/**', '**/.turbo/**', '**/drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
      // STYLE.md 13: no leftover notes to self (comments opening with those words); file an issue instead.
      'no-warning-comments': ['error', { terms: ['fixme', 'xxx', 'todo'], location: 'start' }],
      'no-restricted-imports': ['error', { patterns: [noDeepImports] }],
    },
  },
  // CLIs, benchmarks and scripts print by design.
  { files: ['**/bin/**', 'tooling/**', '**/*.test.ts', 'test/**'], rules: { 'no-console': 'off' } },
  layer(['packages/matching/**'], ['@exbox/*']),
  layer(
    ['packages/db/**'],
    [
      '@exbox/matching',
      '@exbox/ledger',
      '@exbox/engine',
      '@exbox/auth',
      '@exbox/kyc',
      '@exbox/custody',
      '@exbox/api',
      '@exbox/config',
    ],
  ),
  layer(
    ['packages/config/**'],
    [
      '@exbox/matching',
      '@exbox/ledger',
      '@exbox/engine',
      '@exbox/db',
      '@exbox/auth',
      '@exbox/kyc',
      '@exbox/custody',
      '@exbox/api',
    ],
  ),
  layer(
    ['packages/ledger/**'],
    ['@exbox/matching', '@exbox/engine', '@exbox/auth', '@exbox/kyc', '@exbox/custody', '@exbox/api'],
  ),
  layer(['packages/engine/**'], ['@exbox/auth', '@exbox/kyc', '@exbox/custody', '@exbox/api']),
  // The matching core and the engine's state machine are pure: no clock, no randomness, no environment.
  {
    files: ['packages/matching/src/**/*.ts', 'packages/ledger/src/**/*.ts', 'packages/engine/src/state/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-properties': ['error', ...banned('The core is pure: inject the clock and ids instead.')] },
  },
);
