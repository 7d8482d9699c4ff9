/**
 * Content hashes of files and folders, for the stage cache's keys (stage-keys.ts says which
 * inputs each stage has): the same files with the same bytes give the same key wherever the
 * repository lives.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { repoRoot } from '../paths.ts'

/** Bumped by hand when the build's output format changes in a way the inputs below do not show. */
export const BUILD_FORMAT = 'site-v2'

const SKIP_DIRS = new Set([
  'node_modules',
  '.slidev',
  'dist',
  '.git',
  '.cache',
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
        if (!SKIP_DIRS.has(e.name))
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
