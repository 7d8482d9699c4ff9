/**
 * The cache key of a built deck: a hash of everything that can change its output. Any change to
 * the deck's folder, the shared addon (components/, styles/, setup/), the lockfile, the toolkit's
 * config or the scripts that shape the build gives a new key, so that deck (or every deck) rebuilds.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { repoRoot } from '../paths.ts'

/** Bumped by hand when the build's output format changes in a way the inputs below do not show. */
export const BUILD_FORMAT = 'site-v1'

/** Inputs every deck shares, relative to the repo root (folders are read recursively). */
export const SHARED_INPUTS = [
  // The repo root is every deck's Slidev addon: Slidev reads these folders and files from it.
  'components',
  'layouts',
  'styles',
  'setup',
  'public',
  'global-top.vue',
  'global-bottom.vue',
  // The house-style footer lives in the per-slide layer.
  'slide-top.vue',
  'slide-bottom.vue',
  'package-lock.json',
  'toolkit.config.ts',
  'vite.config.ts',
  'uno.config.ts',
  'scripts/lib/site',
  'scripts/lib/slidev-build.ts',
  'scripts/lib/slidev.ts',
  'scripts/lib/theme-defaults.ts',
  'scripts/lib/meta.ts',
]

const SKIP_DIRS = new Set([
  'node_modules',
  '.slidev',
  'dist',
  '.git',
  '.cache',
])

/**
 * Folders inside a deck that are records about the talk, not inputs of its slides: rehearsals
 * (decks/<slug>/rehearsals/, written by `npm run rehearse`) rebuild no deck and no PDF.
 */
export const DECK_RECORD_DIRS = new Set([
  'rehearsals',
])

/** Test files never change what a build produces. */
function isInput(name: string): boolean {
  return !/\.(?:browser\.)?test\.ts$/.test(name) && !name.endsWith('.log') && name !== '.DS_Store'
}

/** Every file under `path` (or `path` itself), sorted, as absolute paths. */
export function listFiles(path: string): string[] {
  if (!existsSync(path))
    return []
  const st = statSync(path)
  if (st.isFile())
    return [path]
  const out: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, e.name)
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !DECK_RECORD_DIRS.has(e.name))
          walk(full)
      }
      else if (e.isFile() && isInput(e.name)) {
        out.push(full)
      }
    }
  }
  walk(path)
  return out
}

export interface HashInput {
  /** Files or folders (absolute). */
  paths: string[]
  /** Options that change the output (base, site URL...). */
  extra?: Record<string, string>
  /** Paths are recorded relative to this (so the key does not depend on where the repo lives). */
  root?: string
}

export function hashInputs(input: HashInput): string {
  const root = input.root ?? repoRoot
  const h = createHash('sha256')
  h.update(`${BUILD_FORMAT}\n`)
  for (const [k, v] of Object.entries(input.extra ?? {}).sort(([a], [b]) => a.localeCompare(b)))
    h.update(`option ${k}=${v}\n`)
  const files = [
    ...new Set(input.paths.flatMap(p => listFiles(p))),
  ].sort()
  for (const file of files) {
    const rel = relative(root, file).split(sep).join('/')
    const data = readFileSync(file)
    h.update(`file ${rel} ${data.length}\n`)
    h.update(data)
  }
  return h.digest('hex').slice(0, 32)
}

/** The key of one deck's built output. */
export function deckCacheKey(deckDir: string, extra: Record<string, string>, root = repoRoot): string {
  return hashInputs({
    paths: [
      deckDir,
      ...SHARED_INPUTS.map(p => join(root, p)),
    ],
    extra,
    root,
  })
}
