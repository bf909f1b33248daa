import { defineConfig } from 'vitest/config'

export const GLOBAL_SETUP = 'test/harness/globalSetup.ts'

/**
 * Three layers: unit tests beside pure modules; integration tests against the real server process
 * (built by `npm run build`); browser tests driving Debian's Chromium against that server.
 */
export default defineConfig({
  test: {
    // Kills servers, PostgreSQL and nginx left running by a test that timed out (see test/harness/children.ts).
    globalSetup: [GLOBAL_SETUP],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts', 'bench/**/*.test.ts', 'test/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time: two cores are shared with the servers under test.
          fileParallelism: false,
        },
      },
    ],
  },
})
