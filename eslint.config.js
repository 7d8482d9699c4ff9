import antfu from '@antfu/eslint-config'

export default antfu({
  vue: true,
  typescript: true,
  // Slides are Markdown prose with Vue inside; Slidev, not ESLint, is their checker.
  markdown: false,
  ignores: [
    'dist/**',
    '.tmp/**',
    '.slidev/**',
    'decks/**/*.md',
    'BENCHMARKS.md',
    '**/fixtures/**/*.md',
  ],
}, {
  rules: {
    'no-console': 'off',
    'node/prefer-global/process': 'off',
    'node/prefer-global/buffer': 'off',
  },
})
