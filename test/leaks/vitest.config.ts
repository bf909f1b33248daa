import { defineConfig } from 'vitest/config'
import { GLOBAL_SETUP } from '../../vitest.config.js'

/**
 * The configuration `test/integration/leaks.test.ts` runs in a child vitest (from the repository
 * root): the suite's own global setup, and only the fixture, which hangs past a tiny timeout. Its
 * name ends in `.fixture.ts` so that no project of the normal suite picks it up.
 */
export default defineConfig({
  test: {
    globalSetup: [GLOBAL_SETUP],
    include: ['test/leaks/*.fixture.ts'],
    testTimeout: 200,
    hookTimeout: 30_000,
  },
})
