/**
 * Builds the hosted site: every selected deck at `<base><slug>/` (reused from .cache/ when its
 * inputs did not change), thumbnails and social cards, the index, the deep-link fallbacks, then
 * the PDF and transcript steps; all assembled in a staging directory and swapped in atomically.
 */
import type { Browser } from 'playwright-chromium'
import type { Deck } from '../decks.ts'
import type { SiteOptions } from './options.ts'
import type { SlideTexts } from './thumbs.ts'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import { load } from '@slidev/parser/fs'
import { launchBrowser } from '../browser.ts'
import { repoRoot } from '../paths.ts'
import { slidevBuild } from '../slidev-build.ts'
import { DeckCache } from './cache.ts'
import { notFoundHtml, redirectsFile } from './fallbacks.ts'
import { writeFeed } from './feed.ts'
import { deckTexts, pruneBuiltFonts, usedCodepoints } from './font-css.ts'
import { removeUnreferencedFonts, subsetDeckFonts, withPageFont } from './font-subset.ts'
import { deckCacheKey } from './hash.ts'
import { indexEntries, renderIndexHtml } from './index-page.ts'
import { indexJsonLdScript } from './jsonld.ts'
import { publishAtomically, recoverOutput } from './publish.ts'
import { writeReadingViews } from './reading-view.ts'
import { writeSiteSearch } from './search.ts'
import { startSiteServer } from './server.ts'
import { writeSitemap } from './sitemap.ts'
import { finishDeckHtml, socialCard } from './social.ts'
import { renderThumbnails } from './thumbs.ts'

/** Ports for the build's own static server (thumbnails). */
export const BUILD_PORT = 3520

export interface BuildSiteOptions {
  decks: Deck[]
  site: SiteOptions
  /** Output directory (default dist/). */
  outDir: string
  /** Cache directory (default .cache/site). */
  cacheDir?: string
  /** Rebuild every deck regardless of the cache. */
  force?: boolean
  /** false: no PDF step / no transcript step. */
  pdf?: boolean
  transcript?: boolean
  /** Output of `slidev build`: shown, or dropped (`--quiet`). */
  slidevOutput?: 'inherit' | 'ignore'
  log?: (line: string) => void
  /** Called with the staging directory before the swap (tests use it to fail a build on purpose). */
  beforePublish?: (staging: string) => Promise<void> | void
}

export interface DeckReport {
  slug: string
  status: 'built' | 'reused'
  key: string
  slides: number
  ms: number
}

export interface BuildReport {
  outDir: string
  base: string
  siteUrl: string
  decks: DeckReport[]
  built: string[]
  reused: string[]
  pdf: { slug: string, file: string, bytes: number, skipped: boolean }[] | 'skipped'
  transcripts: { slug: string, files: string[] }[] | 'skipped'
  thumbnailsMs: number
  totalMs: number
}

/** Slides the audience can reach (hidden and disabled slides are not built into routes). */
export async function countSlides(deck: Deck): Promise<number> {
  const data = await load({ userRoot: deck.dir } as Parameters<typeof load>[0], deck.entry)
  return data.slides.length
}

export async function buildSite(options: BuildSiteOptions): Promise<BuildReport> {
  const t0 = Date.now()
  const log = options.log ?? (() => {})
  const { site, outDir } = options
  const cache = new DeckCache(options.cacheDir ?? join(repoRoot, '.cache', 'site'))
  for (const note of await recoverOutput(outDir))
    log(note)

  const report: BuildReport = {
    outDir,
    base: site.base,
    siteUrl: site.url,
    decks: [],
    built: [],
    reused: [],
    pdf: 'skipped',
    transcripts: 'skipped',
    thumbnailsMs: 0,
    totalMs: 0,
  }
  const extra = { base: site.base, siteUrl: site.url }

  await publishAtomically(outDir, async (staging) => {
    const toThumb: { deck: Deck, dir: string, slides: number, sourceChars: Set<number> }[] = []
    const slideCounts = new Map<string, number>()
    for (const deck of options.decks) {
      const started = Date.now()
      const key = deckCacheKey(deck.dir, extra)
      const dest = join(staging, deck.slug)
      const slides = await countSlides(deck)
      slideCounts.set(deck.slug, slides)
      const cached = options.force
        ? undefined
        : await cache.lookup(deck.slug, key)
      if (cached) {
        await cache.restore(cached, dest)
        report.decks.push({
          slug: deck.slug,
          status: 'reused',
          key,
          slides,
          ms: Date.now() - started,
        })
        report.reused.push(deck.slug)
        log(`reused ${deck.slug} (unchanged, key ${key.slice(0, 12)})`)
        continue
      }
      log(`building ${deck.slug} at ${site.base}${deck.slug}/ ...`)
      await slidevBuild(deck, {
        base: `${site.base}${deck.slug}/`,
        outDir: dest,
        // Speaker notes are the presenter's; the public transcript is generated separately.
        args: ['--without-notes'],
        stdio: options.slidevOutput ?? 'inherit',
        site: { url: site.url, base: site.base },
      })
      // The site writes one set of fallbacks for all decks; Slidev's per-deck copies would be dead files.
      await rm(join(dest, '404.html'), { force: true })
      await rm(join(dest, '_redirects'), { force: true })
      const indexFile = join(dest, 'index.html')
      await writeFile(indexFile, finishDeckHtml(await readFile(indexFile, 'utf8'), socialCard(deck, site)))
      const used = usedCodepoints(await deckTexts(deck.dir, [
        'components',
        'styles',
        'setup',
        'toolkit.config.ts',
      ].map(p => join(repoRoot, p))))
      // Slices first (the thumbnails are drawn with them), per-deck subsets once the text of every slide is known.
      await pruneBuiltFonts(dest, used)
      toThumb.push({
        deck,
        dir: dest,
        slides,
        sourceChars: used,
      })
      report.decks.push({
        slug: deck.slug,
        status: 'built',
        key,
        slides,
        ms: Date.now() - started,
      })
      report.built.push(deck.slug)
    }

    const fallbackDecks = options.decks.map(d => ({ slug: d.slug, slides: slideCounts.get(d.slug) ?? 0 }))
    await writeFile(join(staging, '_redirects'), redirectsFile(site, fallbackDecks))
    await writeFile(join(staging, '404.html'), notFoundHtml(site, options.decks.map(d => d.slug)))
    // GitHub Pages without Actions runs Jekyll, which drops files starting with `_` (Vite emits some).
    await writeFile(join(staging, '.nojekyll'), '')

    if (toThumb.length) {
      const tThumbs = Date.now()
      const server = await startSiteServer({
        root: staging,
        base: site.base,
        port: BUILD_PORT,
        portAttempts: 10,
      })
      let browser: Browser | undefined
      let texts: SlideTexts
      try {
        browser = await launchBrowser()
        texts = await renderThumbnails(browser, toThumb.map(t => ({
          slug: t.deck.slug,
          url: `${server.url}${t.deck.slug}/`,
          dir: t.dir,
          slides: t.slides,
        })), { log })
      }
      finally {
        await browser?.close()
        await server.close()
      }
      report.thumbnailsMs = Date.now() - tThumbs
      for (const t of toThumb) {
        const shown = texts.get(t.deck.slug) ?? []
        const fonts = await subsetDeckFonts(t.dir, {
          first: usedCodepoints([shown[0] ?? ''], { ascii: false }),
          all: new Set([
            ...t.sourceChars,
            ...usedCodepoints(shown),
          ]),
        })
        const dropped = await removeUnreferencedFonts(t.dir)
        log(`${t.deck.slug}: ${fonts.replacedFaces} font slices replaced by ${fonts.files.map(f => `${f.weight}/${f.part} ${f.chars} chars ${(f.bytes / 1024).toFixed(1)} KB`).join(', ')}; ${dropped.removed} unused font files dropped`)
        const deckReport = report.decks.find(d => d.slug === t.deck.slug)!
        await cache.save(t.deck.slug, deckReport.key, t.dir)
      }
    }

    if (options.pdf !== false) {
      // Loaded on demand: a build with --no-pdf never loads pdf-lib.
      const { exportDecksToPdf } = await import('../pdf/index.ts')
      const results = await exportDecksToPdf(options.decks, {
        outFile: d => join(staging, d.slug, `${d.slug}.pdf`),
        builtSite: d => join(staging, d.slug),
        site,
        force: options.force,
        log,
      })
      report.pdf = results.map(r => ({
        slug: r.deck.slug,
        file: relative(staging, r.file),
        bytes: r.bytes,
        skipped: r.skipped,
      }))
    }
    if (options.transcript !== false) {
      const { writeTranscripts } = await import('../transcript/index.ts')
      const results = await writeTranscripts(options.decks, {
        outRoot: staging,
        base: site.base,
        siteUrl: site.url || undefined,
      })
      report.transcripts = results.map(r => ({
        slug: r.deck.slug,
        files: r.files.map(f => isAbsolute(f)
          ? relative(staging, f)
          : f),
      }))
    }

    const exists = (p: string) => existsSync(join(staging, p))
    const entries = indexEntries(options.decks, exists)
    // The audience's stages (each its own module): reading view and JSON-LD in each deck, search, feed, sitemap.
    await writeReadingViews(staging, options.decks, site, exists)
    const search = await writeSiteSearch(staging, options.decks, exists)
    log(`search index: ${search.files} files, ${(search.bytes / 1024).toFixed(1)} KB (loaded only when a reader searches)`)
    const feedLink = await writeFeed(staging, entries, site)
    const sitemap = await writeSitemap(staging, entries, site)
    if (!site.url)
      log('no feed.xml, sitemap.xml or robots.txt: they need the site URL (--site-url or TALKS_SITE_URL)')
    else
      log(`wrote ${['feed.xml', ...sitemap].join(', ')}`)
    const indexHead = [
      feedLink,
      indexJsonLdScript(options.decks, entries, site),
    ].filter(Boolean).join('\n')
    await writeFile(join(staging, 'index.html'), await withPageFont(renderIndexHtml(entries, site, { head: indexHead, search: true }), staging))
    await options.beforePublish?.(staging)
  })
  report.totalMs = Date.now() - t0
  return report
}
