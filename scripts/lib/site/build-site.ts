/**
 * Builds the hosted site: every selected deck through the publishing pipeline (pipeline.ts: build,
 * render pass, font subsets, transcript, each reused from the stage cache when its inputs did not
 * change), then the site-wide pages (index, deep-link fallbacks); all assembled in a staging
 * directory and swapped in atomically, so a failed build leaves dist/ as it was.
 */
import type { Deck } from '../decks.ts'
import type { SiteOptions } from './options.ts'
import type { DeckRun, StageRun } from './pipeline.ts'
import type { Progress } from './progress.ts'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cp, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { load } from '@slidev/parser/fs'
import { annotateFault } from '../errors.ts'
import { repoRoot } from '../paths.ts'
import { notFoundHtml, redirectsFile } from './fallbacks.ts'
import { writeFeed } from './feed.ts'
import { withPageFont } from './font-subset.ts'
import { hashInputs, listFiles } from './hash.ts'
import { indexEntries, renderIndexHtml } from './index-page.ts'
import { indexJsonLdScript } from './jsonld.ts'
import { Pipeline, RENDER_PDF } from './pipeline.ts'
import { silentProgress } from './progress.ts'
import { publishAtomically, recoverOutput } from './publish.ts'
import { writeReadingViews } from './reading-view.ts'
import { writeSiteSearch } from './search.ts'
import { writeSitemap } from './sitemap.ts'
import { StageCache } from './stage-cache.ts'

export interface BuildSiteOptions {
  decks: Deck[]
  site: SiteOptions
  /** Output directory (default dist/). */
  outDir: string
  /** Root of the stage cache (default .cache/). */
  cacheDir?: string
  /** Run every stage of every deck again, ignoring the cache. */
  force?: boolean
  /** false: no PDF in the site / no transcripts. */
  pdf?: boolean
  transcript?: boolean
  /** Decks in flight at once (default 2). */
  concurrency?: number
  /** Slidev's own output as it comes (otherwise shown only when a build fails). */
  verbose?: boolean
  progress?: Progress
  /** Called with the staging directory before the swap (tests use it to fail a build on purpose). */
  beforePublish?: (staging: string) => Promise<void> | void
}

export interface DeckReport {
  slug: string
  /** 'built' when any stage of the deck ran, 'reused' when every stage came from the cache. */
  status: 'built' | 'reused'
  /** The key of the deck's build stage. */
  key: string
  slides: number
  ms: number
  /** Each stage of the deck's pipeline: ran or reused, with its key and time. */
  stages: StageRun[]
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
  /** Time spent in render passes (PDF, thumbnails, social card) in this build. */
  thumbnailsMs: number
  /** The output folder already held this very site: nothing was written. */
  unchanged?: boolean
  totalMs: number
}

/** Slides the audience can reach (hidden and disabled slides are not built into routes). */
export async function countSlides(deck: Deck): Promise<number> {
  const data = await load({ userRoot: deck.dir } as Parameters<typeof load>[0], deck.entry)
  return data.slides.length
}

/**
 * The site a publish writes, as one key: every deck's stage keys, slides.md and README.md, the
 * site's options, and the toolkit's own code, config and lockfile (which make the index, the
 * fallbacks, the feed and the search).
 */
function siteKey(runs: DeckRun[], options: { site: SiteOptions, pdf: boolean, transcript: boolean }): string {
  return hashInputs({
    paths: [
      join(repoRoot, 'scripts', 'lib'),
      join(repoRoot, 'toolkit.config.ts'),
      join(repoRoot, 'package-lock.json'),
      ...runs.flatMap(r => [
        r.deck.entry,
        join(r.deck.dir, 'README.md'),
      ]),
    ],
    extra: {
      site: JSON.stringify(options.site),
      outputs: `pdf:${options.pdf} transcript:${options.transcript}`,
      decks: runs.map(r => `${r.deck.slug}:${Object.values(r.keys).join(':')}`).join(' '),
    },
  })
}

/** Where the last publish into `outDir` is recorded (in the cache: nothing extra is deployed). */
function publishedRecord(outDir: string, cacheDir?: string): string {
  const id = createHash('sha256').update(outDir).digest('hex').slice(0, 16)
  return join(new StageCache(cacheDir).root, 'published', `${id}.json`)
}

interface PublishedSite {
  key: string
  /** Every file of the published site (relative path) with its size. */
  files: Record<string, number>
}

function filesWithSizes(dir: string): Record<string, number> {
  const files: Record<string, number> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name)
      if (e.isDirectory())
        walk(full)
      else if (e.isFile())
        files[relative(dir, full)] = statSync(full).size
    }
  }
  walk(dir)
  return files
}

/** `outDir` holds the site published under `key`, every file still there at its size. */
function isPublished(outDir: string, record: string, key: string): boolean {
  try {
    const last = JSON.parse(readFileSync(record, 'utf8')) as PublishedSite
    if (last.key !== key)
      return false
    return Object.entries(last.files).every(([file, size]) => statSync(join(outDir, file)).size === size)
  }
  catch {
    return false
  }
}

function recordPublished(outDir: string, record: string, key: string): void {
  mkdirSync(dirname(record), { recursive: true })
  const site: PublishedSite = {
    key,
    files: filesWithSizes(outDir),
  }
  writeFileSync(record, JSON.stringify(site))
}

export async function buildSite(options: BuildSiteOptions): Promise<BuildReport> {
  const t0 = Date.now()
  const progress = options.progress ?? silentProgress
  const { site, outDir } = options
  for (const note of await recoverOutput(outDir))
    progress.note(note)

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
  const pdf = options.pdf !== false
  const transcript = options.transcript !== false
  const pipeline = new Pipeline({
    site,
    cacheDir: options.cacheDir,
    force: options.force,
    concurrency: options.concurrency,
    verbose: options.verbose,
    progress,
  })
  let runs: Awaited<ReturnType<Pipeline['run']>>
  try {
    runs = await pipeline.run(options.decks, { site: true, pdf, transcript })
  }
  catch (e) {
    // Nothing is published when a deck fails: say so in the fault's line.
    throw existsSync(outDir)
      ? annotateFault(e, { kept: `${outDir}/` })
      : e
  }
  finally {
    await pipeline.close()
  }

  const slideCounts = new Map<string, number>()
  if (pdf)
    report.pdf = []
  if (transcript)
    report.transcripts = []
  for (const run of runs) {
    const { deck } = run
    const slides = await countSlides(deck)
    slideCounts.set(deck.slug, slides)
    const ran = run.stages.some(s => s.status === 'ran')
    report.decks.push({
      slug: deck.slug,
      status: ran ? 'built' : 'reused',
      key: run.keys.build,
      slides,
      ms: run.stages.reduce((n, s) => n + s.ms, 0),
      stages: run.stages,
    })
    ;(ran ? report.built : report.reused).push(deck.slug)
    report.thumbnailsMs += run.stages.find(s => s.stage === 'render' && s.status === 'ran')?.ms ?? 0
    if (pdf && Array.isArray(report.pdf)) {
      report.pdf.push({
        slug: deck.slug,
        file: join(deck.slug, `${deck.slug}.pdf`),
        bytes: run.render!.bytes,
        skipped: run.stages.find(s => s.stage === 'render')?.status === 'reused',
      })
    }
    if (transcript && Array.isArray(report.transcripts)) {
      report.transcripts.push({
        slug: deck.slug,
        files: listFiles(run.transcriptDir!).map(f => relative(run.transcriptDir!, f)).filter(f => /\.(?:md|html)$/.test(f)),
      })
    }
  }

  // The site this build would write is the one already there: leave it be (a build with nothing
  // changed then costs the cache lookups, not a copy of every file).
  const published = publishedRecord(outDir, options.cacheDir)
  const key = siteKey(runs, { site, pdf, transcript })
  if (!options.force && !options.beforePublish && isPublished(outDir, published, key)) {
    report.unchanged = true
    progress.end()
    report.totalMs = Date.now() - t0
    return report
  }

  await publishAtomically(outDir, async (staging) => {
    // The decks are copied side by side: fs.cp goes file by file, so one at a time leaves the disk
    // idle between files. (fs.cpSync is faster still, but reports a full disk as EIO.)
    await Promise.all(runs.map(async (run) => {
      const { deck } = run
      const dest = join(staging, deck.slug)
      await cp(run.siteDir!, dest, { recursive: true })
      if (pdf)
        await cp(join(run.renderDir!, RENDER_PDF), join(dest, `${deck.slug}.pdf`))
    }))
    // Transcripts share folders (blog/zenn, blog/hatena): one after another.
    for (const run of runs) {
      if (transcript)
        await cp(run.transcriptDir!, staging, { recursive: true })
    }

    const fallbackDecks = options.decks.map(d => ({ slug: d.slug, slides: slideCounts.get(d.slug) ?? 0 }))
    await writeFile(join(staging, '_redirects'), redirectsFile(site, fallbackDecks))
    await writeFile(join(staging, '404.html'), notFoundHtml(site, options.decks.map(d => d.slug)))
    // GitHub Pages without Actions runs Jekyll, which drops files starting with `_` (Vite emits some).
    await writeFile(join(staging, '.nojekyll'), '')

    const exists = (p: string) => existsSync(join(staging, p))
    const entries = indexEntries(options.decks, exists)
    const cache = new StageCache(options.cacheDir)
    // The audience's stages (each its own module): reading view and JSON-LD in each deck, search, feed, sitemap.
    await writeReadingViews(staging, options.decks, site, exists)
    // The search index, from the cache while no deck's transcript stage input changed.
    const searchKey = hashInputs({
      paths: [
        join(repoRoot, 'scripts/lib/site/search.ts'),
        join(repoRoot, 'package-lock.json'),
      ],
      extra: {
        decks: runs.map(r => `${r.deck.slug}:${r.keys.transcript}:${exists(`${r.deck.slug}/transcript/index.html`)}`).join(' '),
      },
    })
    const search = await cache.get('index', '_search', searchKey)
      ?? await cache.put('index', '_search', searchKey, async (dir) => {
        await writeSiteSearch(dir, options.decks, exists)
      })
    await cp(search, staging, { recursive: true })
    const feedLink = await writeFeed(staging, entries, site)
    const sitemap = await writeSitemap(staging, entries, site)
    if (!site.url)
      progress.note('no feed.xml, sitemap.xml or robots.txt: they need the site URL (--site-url or TALKS_SITE_URL)')
    else
      progress.note(`wrote ${['feed.xml', ...sitemap].join(', ')}`)
    const indexHead = [
      feedLink,
      indexJsonLdScript(options.decks, entries, site),
    ].filter(Boolean).join('\n')
    // The index with its typeface cut to its text, from the cache when the page is the same.
    const html = renderIndexHtml(entries, site, { head: indexHead, search: true })
    const key = hashInputs({
      paths: [
        join(repoRoot, 'scripts/lib/site/font-subset.ts'),
      ],
      extra: { html },
    })
    const page = await cache.get('index', '_site', key)
      ?? await cache.put('index', '_site', key, async dir => writeFile(join(dir, 'index.html'), await withPageFont(html, dir)))
    await cp(page, staging, { recursive: true })
    await options.beforePublish?.(staging)
  })
  recordPublished(outDir, published, key)
  progress.end()
  report.totalMs = Date.now() - t0
  return report
}
