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
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['scripts/**/*.test.ts', 'components/**/*.test.ts', 'setup/**/*.test.ts'],
          exclude: [
            '**/*.browser.test.ts',
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
