import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: every path the toolkit uses is resolved from here, not from the cwd. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const decksDir = resolve(repoRoot, 'decks')
export const distDir = resolve(repoRoot, 'dist')
