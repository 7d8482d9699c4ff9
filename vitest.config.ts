import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

/**
 * Tests live beside the code they test:
 * - `*.test.ts`          unit and component tests (fast, happy-dom for .vue components)
 * - `*.browser.test.ts`  browser tests: real Slidev servers and builds driven by Playwright on the
 *                        system Chromium; run one file at a time since each starts servers or builds.
 */
export default defineConfig({
  plugins: [
    vue(),
  ],
  resolve: {
    alias: {
      '@components': fileURLToPath(new URL('./components', import.meta.url)),
    },
  },
  test: {
    reporters: ['default', './scripts/lib/testing/summary-reporter.ts'],
    // Builds in tests run in a worker of their own command, not in a build server that would
    // outlive the test (slidev-build.ts); the build server's own tests turn it on.
    env: { TALKS_BUILD_SERVER: '0' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['scripts/**/*.test.ts', 'components/**/*.test.ts', 'setup/**/*.test.ts'],
          exclude: [
            '**/*.browser.test.ts',
            '**/*.faults.test.ts',
            '**/node_modules/**',
            '.cache/**',
            'dist/**',
            '.tmp/**',
          ],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          // Fault injection (*.faults.test.ts): full disks, read-only outputs, a dying browser,
          // signals, two builds at once, each 20 times against the real CLI. `npm run test:faults`.
          name: 'faults',
          include: ['scripts/**/*.faults.test.ts'],
          exclude: [
            '**/node_modules/**',
            '.cache/**',
          ],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['**/*.browser.test.ts'],
          // .cache/ holds copies of the repo made by the bench; their tests are not ours to run.
          exclude: [
            '**/node_modules/**',
            'dist/**',
            '.cache/**',
            '.tmp/**',
          ],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
})
