/**
 * PDF export for Docswell: each deck printed by Chromium from its built site (Slidev's own
 * `/export` page, served by a local static server), finished with pdf-lib (16:9 pages,
 * metadata, bookmarks), size-checked and written through a temporary file and a rename.
 * One browser serves every deck; decks whose inputs did not change are not printed again.
 */
import type { Browser, BrowserContext } from 'playwright-chromium'
import type { Deck } from '../decks.ts'
import type { LinkTarget } from './cache.ts'
import type { PrintedDeck } from './render.ts'
import type { StaticServer } from './static-server.ts'
import { existsSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import config from '../../../toolkit.config.ts'
import { launchBrowser } from '../browser.ts'
import { countOf, UserError } from '../errors.ts'
import { repoRoot } from '../paths.ts'
import { resolveSiteOptions } from '../site/options.ts'
import { slidevBuild, SlidevBuildError } from '../slidev-build.ts'
import { buildInputHash, cachePaths, cacheRoot, fileSha, pdfInputHash, readManifest, sha256, writeAtomic } from './cache.ts'
import { BUNDLED_FONT, finishPdf, parseAspect } from './document.ts'
import { checkSize, formatBytes } from './limits.ts'
import { buildOutline } from './outline.ts'
import { NoExportRouteError, printDeck, SlideRenderError } from './render.ts'
import { mergeSlideInfo, readSlideInfo } from './slides.ts'
import { startStaticServer } from './static-server.ts'

export { checkSize, formatBytes, MAX_BYTES, WARN_BYTES } from './limits.ts'
export { buildOutline } from './outline.ts'
export { SlideRenderError } from './render.ts'

export interface ExportOptions {
  outFile: (deck: Deck) => string
  /** Directory of an up-to-date `slidev build` of the deck for the same `site`, if one exists. */
  builtSite?: (deck: Deck) => string | undefined
  force?: boolean
  perClick?: boolean
  /** Where the printed links point; default: the site options from the environment and toolkit.config.ts. */
  site?: LinkTarget
  log?: (line: string) => void
}

export interface ExportResult {
  deck: Deck
  file: string
  bytes: number
  skipped: boolean
}

/** Ports reserved for the PDF step's static server. */
export const PDF_PORTS: [number, number] = [3550, 3599]

/** Two cores: two decks in flight keeps both busy (one building or loading while one prints). */
const CONCURRENCY = 2

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

function pdfMetadata(deck: Deck) {
  const { talk, title } = deck.meta
  const info = typeof deck.meta.info === 'string'
    ? deck.meta.info.trim()
    : undefined
  return {
    title,
    author: config.speakers[talk.speaker]?.name ?? talk.speaker,
    subject: talk.description?.trim() || info || `${talk.event.name}`,
    keywords: talk.tags,
    language: talk.lang,
  }
}

/**
 * A build of the deck kept in .cache/ for printing, rebuilt only when its inputs change. It is
 * built like the site's copy (same base path and site URL), so the printed closing slide shows the
 * same links as the hosted deck.
 */
async function ensureOwnBuild(deck: Deck, site: LinkTarget, log: (line: string) => void): Promise<string> {
  const dir = join(cacheRoot(), 'builds', deck.slug)
  const stamp = join(dir, '.input-hash')
  const hash = buildInputHash(deck, site)
  if (existsSync(join(dir, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash)
    return dir
  const base = `${site.base}${deck.slug}/`
  log(`  ${deck.slug}: building (slidev build, base ${base})`)
  await rm(dir, { recursive: true, force: true })
  try {
    await slidevBuild(deck, {
      base,
      outDir: dir,
      stdio: 'capture',
      site,
    })
  }
  catch (e) {
    if (e instanceof SlidevBuildError)
      throw new UserError(explainBuildFailure(deck, e.output))
    throw e
  }
  await writeFile(stamp, hash)
  return dir
}

/**
 * Slidev compiles slide N to `slides.md__slidev_N.md`: a build error naming that module names
 * the slide. A missing image written as a static path (`<img src="/x.png">`, `![](./x.png)`)
 * fails here, as an unresolved import, before anything is printed.
 */
export function explainBuildFailure(deck: Deck, output: string): string {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\u001B\[[\d;]*m/g, '')
  const slides = [
    ...new Set([
      ...text.matchAll(/slides\.md__slidev_(\d+)\.md/g),
    ].map(m => Number(m[1]))),
  ]
  const lines = text.split('\n')
  const coded = text.match(/\[[A-Z_]+\]\s*(.+)/)?.[1]
  const cause = coded ?? lines.map(l => l.trim()).find(l => /error/i.test(l))
  const where = slides.length
    ? `slide ${slides.join(', ')}`
    : 'slide unknown'
  const stack = lines.findIndex(l => /^\s+at /.test(l))
  const tail = lines.slice(0, stack < 0
    ? undefined
    : stack).slice(-20).join('\n').trim()
  return `deck ${deck.slug}: slidev build failed, no PDF written\n  ${where}: ${cause ?? 'see the build output below'}\n${tail}`
}

interface Session {
  browser: Browser
  context: BrowserContext
  server: StaticServer
}

async function openSession(): Promise<Session> {
  const [browser, server] = await Promise.all([
    launchBrowser(),
    startStaticServer([], { ports: PDF_PORTS }),
  ])
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    colorScheme: 'light',
    // Slidev reads the language from the page; keep dates and numbers as on stage.
    locale: 'ja-JP',
  })
  return { browser, context, server }
}

async function printFrom(session: Session, deck: Deck, siteDir: string, perClick: boolean): Promise<PrintedDeck> {
  const base = builtBase(siteDir)
  session.server.mount({ root: siteDir, base })
  return printDeck(session.context, { origin: session.server.origin, base }, { slug: deck.slug, perClick })
}

async function runPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  await Promise.all(Array.from({
    length: Math.min(limit, items.length),
  }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift())
      await fn(item)
  }))
}

export async function exportDecksToPdf(decks: Deck[], options: ExportOptions): Promise<ExportResult[]> {
  const log = options.log ?? (line => console.log(line))
  const perClick = Boolean(options.perClick)
  const site = options.site ?? resolveSiteOptions()
  const results = new Map<Deck, ExportResult>()
  const failures: string[] = []
  const todo: { deck: Deck, hash: string, file: string }[] = []

  for (const deck of decks) {
    const file = options.outFile(deck)
    const hash = pdfInputHash(deck, { perClick, site })
    const cached = cachePaths(deck, perClick)
    const manifest = await readManifest(cached.manifest)
    if (!options.force && manifest?.inputHash === hash) {
      if (fileSha(file) === manifest.sha256) {
        results.set(deck, {
          deck,
          file,
          bytes: manifest.bytes,
          skipped: true,
        })
        log(`  ${deck.slug}: unchanged, ${formatBytes(manifest.bytes)} (${relative(repoRoot, file)})`)
        continue
      }
      if (fileSha(cached.pdf) === manifest.sha256) {
        await writeAtomic(file, await readFile(cached.pdf))
        results.set(deck, {
          deck,
          file,
          bytes: manifest.bytes,
          skipped: true,
        })
        log(`  ${deck.slug}: unchanged, copied from cache, ${formatBytes(manifest.bytes)} (${relative(repoRoot, file)})`)
        continue
      }
    }
    todo.push({ deck, hash, file })
  }
  if (!todo.length)
    return decks.map(d => results.get(d)!)

  const session = await openSession()
  try {
    await runPool(todo, CONCURRENCY, async ({ deck, hash, file }) => {
      const started = performance.now()
      try {
        const given = options.builtSite?.(deck)
        let printed: PrintedDeck
        let source: string
        try {
          const siteDir = given ?? await ensureOwnBuild(deck, site, log)
          source = given ? 'built site' : 'cached build'
          printed = await printFrom(session, deck, siteDir, perClick)
        }
        catch (e) {
          if (!(e instanceof NoExportRouteError) || !given)
            throw e
          // A site built before the exporter page was enabled: print from our own build instead.
          source = 'own build (site build lacks /export)'
          printed = await printFrom(session, deck, await ensureOwnBuild(deck, site, log), perClick)
        }
        const slides = mergeSlideInfo(await readSlideInfo(deck), printed.slides)
        const firstPage = new Map<number, number>()
        printed.pages.forEach((p, i) => {
          if (!firstPage.has(p.no))
            firstPage.set(p.no, i)
        })
        const { bytes: pdf, fonts, links } = await finishPdf(printed.pdf, {
          width: printed.width,
          aspect: parseAspect(deck.meta.aspectRatio),
          meta: pdfMetadata(deck),
          outline: buildOutline(slides, no => firstPage.get(no)),
          links: { printOrigin: session.server.origin, siteUrl: site.url },
          pages: printed.pages,
        })
        if (links.removed.length) {
          const paths = [
            ...new Set(links.removed),
          ].join(', ')
          log(`  ${deck.slug}: ${countOf(links.removed.length, 'link')} to the site printed as text only (${paths}): give the site URL (TALKS_SITE_URL or --site-url) to make them clickable`)
        }
        const foreign = fonts.filter(f => !BUNDLED_FONT.test(f))
        if (foreign.length)
          log(`⚠ ${deck.slug}: text set in fonts the theme does not bundle: ${foreign.join(', ')} (a glyph missing from BIZ UDPGothic fell back to this machine's fonts)`)
        const size = checkSize(pdf.byteLength)
        if (size.level === 'fail')
          throw new UserError(`deck ${deck.slug}: ${size.message}`)
        await writeAtomic(file, pdf)
        const cached = cachePaths(deck, perClick)
        await mkdir(dirname(cached.pdf), { recursive: true })
        await copyFile(file, cached.pdf)
        await writeAtomic(cached.manifest, `${JSON.stringify({
          slug: deck.slug,
          inputHash: hash,
          sha256: sha256(pdf),
          bytes: pdf.byteLength,
          pages: printed.pages.length,
          exportedAt: new Date().toISOString(),
        }, null, 2)}\n`)
        results.set(deck, {
          deck,
          file,
          bytes: pdf.byteLength,
          skipped: false,
        })
        const secs = ((performance.now() - started) / 1000).toFixed(1)
        log(`${size.level === 'warn'
          ? '⚠'
          : '✓'} ${deck.slug}: ${printed.pages.length} pages, ${size.message}, ${secs} s from ${source} → ${relative(repoRoot, file)}`)
      }
      catch (e) {
        const message = e instanceof SlideRenderError || (e as { userFacing?: boolean }).userFacing
          ? (e as Error).message
          : `deck ${deck.slug}: ${(e as Error).stack ?? e}`
        failures.push(message)
        log(`✖ ${message}`)
      }
    })
  }
  finally {
    await session.context.close().catch(() => {})
    await session.browser.close().catch(() => {})
    await session.server.close()
  }
  if (failures.length) {
    throw new UserError(`PDF export failed for ${countOf(failures.length, 'deck')}; earlier PDFs were left as they were:\n${failures.join('\n')}`)
  }
  return decks.map(d => results.get(d)!)
}
