/**
 * PDF export for Docswell: each deck goes through the publishing pipeline's build and render
 * stages (site/pipeline.ts: Chromium prints Slidev's own `/export` page of the deck's build,
 * pdf-lib finishes it with 16:9 pages, metadata, bookmarks and links), and the PDF is written
 * through a temporary file and a rename. Decks whose inputs did not change come from the stage
 * cache; a PDF already holding the same bytes is left alone.
 */
import type { Deck } from '../decks.ts'
import type { Progress } from '../site/progress.ts'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { countOf } from '../errors.ts'
import { repoRoot } from '../paths.ts'
import { resolveSiteOptions } from '../site/options.ts'
import { Pipeline, RENDER_PDF } from '../site/pipeline.ts'
import { writeFileAtomically } from '../site/publish.ts'
import { checkSize } from './limits.ts'

export { explainBuildFailure } from '../slidev-build.ts'
export { checkSize, formatBytes, MAX_BYTES, WARN_BYTES } from './limits.ts'
export { buildOutline } from './outline.ts'
export { SlideRenderError } from './render.ts'

/** Where the printed links point: the published site's base path and origin. */
export interface LinkTarget {
  base: string
  url: string
}

export interface ExportOptions {
  outFile: (deck: Deck) => string
  force?: boolean
  perClick?: boolean
  /** Where the printed links point; default: the site options from the environment and toolkit.config.ts. */
  site?: LinkTarget
  /** Root of the stage cache (default .cache/, or TALKS_CACHE_DIR). */
  cacheDir?: string
  concurrency?: number
  verbose?: boolean
  progress?: Progress
  /** Lines about each PDF (size, links printed as text, fonts). */
  log?: (line: string) => void
}

export interface ExportResult {
  deck: Deck
  file: string
  bytes: number
  /** The PDF came from the cache and the file already held it. */
  skipped: boolean
}

/** The URL path a built SPA expects to be served under, read from its index.html. */
export function builtBase(siteDir: string): string {
  const html = readFileSync(join(siteDir, 'index.html'), 'utf8')
  const m = html.match(/<script[^>]+src="([^"]*?)assets\/[^"]+\.js"/)
  if (!m)
    throw new Error(`${siteDir}/index.html: cannot find the build's base path`)
  return m[1]!.startsWith('/')
    ? m[1]!
    : `/${m[1]!}`
}

/**
 * The fonts the theme bundles; anything else in a PDF is a system fallback for a missing glyph.
 * Here, not beside the PDF code (document.ts): a command with every PDF current never loads pdf-lib.
 */
const BUNDLED_FONT = /^(?:BIZUDPGothic|JetBrainsMono)/

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export async function exportDecksToPdf(decks: Deck[], options: ExportOptions): Promise<ExportResult[]> {
  const log = options.log ?? (line => console.log(line))
  const site = options.site ?? resolveSiteOptions()
  const pipeline = new Pipeline({
    site,
    cacheDir: options.cacheDir,
    force: options.force,
    perClick: options.perClick,
    concurrency: options.concurrency,
    verbose: options.verbose,
    progress: options.progress,
  })
  let runs: Awaited<ReturnType<Pipeline['run']>>
  try {
    runs = await pipeline.run(decks, { site: false, pdf: true, transcript: false })
  }
  finally {
    await pipeline.close()
  }
  // Every deck rendered: only now is any PDF written.
  const results: ExportResult[] = []
  for (const run of runs) {
    const { deck } = run
    const file = options.outFile(deck)
    const bytes = new Uint8Array(await readFile(join(run.renderDir!, RENDER_PDF)))
    const current = await readFile(file).catch(() => undefined)
    const same = current !== undefined && sha256(current) === sha256(bytes)
    if (!same)
      await writeFileAtomically(file, bytes)
    const info = run.render!
    const size = checkSize(bytes.byteLength)
    if (info.linksAsText.length)
      log(`  ${deck.slug}: ${countOf(info.linksAsText.length, 'link')} to the site printed as text only (${info.linksAsText.join(', ')}): give the site URL (TALKS_SITE_URL or --site-url) to make them clickable`)
    const foreign = info.fonts.filter(f => !BUNDLED_FONT.test(f))
    if (foreign.length)
      log(`⚠ ${deck.slug}: text set in fonts the theme does not bundle: ${foreign.join(', ')} (a glyph missing from BIZ UDPGothic fell back to this machine's fonts)`)
    const rendered = run.stages.find(s => s.stage === 'render')
    log(`${size.level === 'warn'
      ? '⚠'
      : '✓'} ${deck.slug}: ${info.pages} pages, ${size.message}${same ? ', unchanged' : ''}${rendered?.status === 'ran'
      ? ''
      : ' (from cache)'} → ${relative(repoRoot, file)}`)
    results.push({
      deck,
      file,
      bytes: bytes.byteLength,
      skipped: same,
    })
  }
  return results
}
