import { defineConfig } from 'vitest/config';

// Tests import sibling packages through the "@exbox/source" export condition, so they run against
// the TypeScript sources rather than a possibly stale build.
export default defineConfig({
  resolve: { conditions: ['@exbox/source'] },
  ssr: { resolve: { conditions: ['@exbox/source'] } },
  test: {
    reporters: ['default', './tooling/vitest/summary-reporter.js'],
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    // Most test files wait on PostgreSQL or sockets, so two workers keep both cores busy (the default on a
    // two-core machine is one).
    maxWorkers: 2,
  },
});
