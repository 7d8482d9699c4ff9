/**
 * What a deck's PDF depends on, hashed, so unchanged decks are not printed again. The site
 * build has no shared cache-key function yet, so the PDF step keeps its own: the deck folder,
 * the shared addon (components, layouts, styles, setup), the toolkit config and the lockfile.
 */
import type { Deck } from '../decks.ts'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { repoRoot } from '../paths.ts'

/** Shared addon inputs at the repo root: Slidev reads these from every addon. */
const SHARED = [
  'components',
  'layouts',
  'styles',
  'setup',
  'public',
  'global-top.vue',
  'global-bottom.vue',
  'uno.config.ts',
  'vite.config.ts',
  'package.json',
  'package-lock.json',
  'toolkit.config.ts',
  'scripts/lib/theme-defaults.ts',
]

const SKIP_DIRS = new Set([
  'node_modules',
  'dist',
  '.slidev',
  '.cache',
  '.git',
])

/** TALKS_PDF_CACHE moves the cache (the benchmark's cold runs start from an empty one). */
export function cacheRoot(): string {
  return process.env.TALKS_PDF_CACHE || join(repoRoot, '.cache', 'pdf')
}

function listFiles(path: string, out: string[]): void {
  if (!existsSync(path))
    return
  const st = statSync(path)
  if (st.isFile()) {
    out.push(path)
    return
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name))
      continue
    listFiles(join(path, entry.name), out)
  }
}

export function hashFiles(files: string[], extra: string[] = []): string {
  const h = createHash('sha256')
  for (const e of extra)
    h.update(`${e}\0`)
  for (const file of [
    ...new Set(files),
  ].sort()) {
    h.update(`${relative(repoRoot, file)}\0`)
    h.update(readFileSync(file))
    h.update('\0')
  }
  return h.digest('hex')
}

/** Inputs of the deck's Slidev build. */
export function deckInputFiles(deck: Deck): string[] {
  const files: string[] = []
  listFiles(deck.dir, files)
  for (const s of SHARED)
    listFiles(join(repoRoot, s), files)
  return files
}

export function buildInputHash(deck: Deck): string {
  return hashFiles(deckInputFiles(deck), [
    deck.slug,
    relative(repoRoot, deck.dir),
  ])
}

/** The exporter's own code shapes the PDF too: a change to it re-exports every deck. */
function exporterFiles(): string[] {
  const dir = dirname(fileURLToPath(import.meta.url))
  return readdirSync(dir).filter(f => f.endsWith('.ts') && !f.endsWith('.test.ts')).map(f => join(dir, f))
}

export function pdfInputHash(deck: Deck, options: { perClick?: boolean }): string {
  return hashFiles([
    ...deckInputFiles(deck),
    ...exporterFiles(),
  ], [
    deck.slug,
    relative(repoRoot, deck.dir),
    options.perClick ? 'per-click' : 'per-slide',
  ])
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export interface PdfManifest {
  slug: string
  inputHash: string
  sha256: string
  bytes: number
  pages: number
  exportedAt: string
}

export function cachePaths(deck: Deck, perClick?: boolean): { manifest: string, pdf: string } {
  const name = `${deck.slug}${perClick ? '.clicks' : ''}`
  return {
    manifest: join(cacheRoot(), 'exports', `${name}.json`),
    pdf: join(cacheRoot(), 'exports', `${name}.pdf`),
  }
}

export async function readManifest(path: string): Promise<PdfManifest | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PdfManifest
  }
  catch {
    return undefined
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`)
  await writeFile(tmp, data)
  await rename(tmp, path)
}

export function fileSha(path: string): string | undefined {
  try {
    return sha256(readFileSync(path))
  }
  catch {
    return undefined
  }
}
