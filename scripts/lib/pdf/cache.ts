/**
 * What a deck's PDF depends on, hashed with the site build's own key function (site/hash.ts),
 * so unchanged decks are not printed again: the deck folder, the shared addon, the lockfile, the
 * toolkit config, where the site is published (closing slides print its URLs) and the exporter.
 */
import type { Deck } from '../decks.ts'
import type { SiteOptions } from '../site/options.ts'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { repoRoot } from '../paths.ts'
import { deckCacheKey, hashInputs, SHARED_INPUTS } from '../site/hash.ts'

/** Where the printed links point: the published site's base path and origin. */
export type LinkTarget = Pick<SiteOptions, 'base' | 'url'>

/** TALKS_PDF_CACHE moves the cache (the benchmark's cold runs start from an empty one). */
export function cacheRoot(): string {
  return process.env.TALKS_PDF_CACHE || join(repoRoot, '.cache', 'pdf')
}

/** Key of the exporter's own build of a deck (same inputs and options as the site's build). */
export function buildInputHash(deck: Deck, site: LinkTarget): string {
  return deckCacheKey(deck.dir, { base: site.base, siteUrl: site.url, purpose: 'pdf-build' })
}

/** The exporter's own code shapes the PDF too: a change to it re-exports every deck. */
const EXPORTER_DIR = dirname(fileURLToPath(import.meta.url))

export function pdfInputHash(deck: Deck, options: { perClick?: boolean, site: LinkTarget }): string {
  return hashInputs({
    paths: [
      deck.dir,
      ...SHARED_INPUTS.map(p => join(repoRoot, p)),
      EXPORTER_DIR,
    ],
    extra: {
      base: options.site.base,
      siteUrl: options.site.url,
      pages: options.perClick
        ? 'per-click'
        : 'per-slide',
    },
  })
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
