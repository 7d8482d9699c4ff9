/**
 * The publishing pipeline, one per deck, shared by `build`, `export` and the rendered check:
 *
 *   build (slidev build, social card, fonts pruned to the deck)
 *   → render (one visit to the build's /export page: the PDF, the thumbnails, the social card and
 *     the text each slide lays out)
 *   → fonts (BIZ UDPGothic cut to the deck: the site's copy of the deck)
 *   → transcript (from the speaker notes)
 *
 * Each stage's output lives in the one stage cache (stage-cache.ts) under the hash of its real
 * inputs (stage-keys.ts), so an edit re-runs only the stages it affects. Decks go through the
 * stages concurrently (two at a time by default: one building while another renders keeps two
 * cores busy); one browser and one static server on an OS-assigned port serve every deck.
 */
import type { Deck } from '../decks.ts'
import type { Printer } from '../pdf/printer.ts'
import type { SiteOptions } from './options.ts'
import type { Progress, StageStatus } from './progress.ts'
import type { SiteServer } from './server.ts'
import type { StageName } from './stage-cache.ts'
import type { StageKeys } from './stage-keys.ts'
import { cp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import config from '../../../toolkit.config.ts'
import { annotateFault, faultFromOutput, isFault, UserError } from '../errors.ts'
import { repoRoot } from '../paths.ts'
import { closeSlidevBuilds, explainBuildFailure, keptPrinter, slidevBuild, SlidevBuildError } from '../slidev-build.ts'
import { deckTexts, usedCodepoints } from './font-css.ts'
import { removeUnreferencedFonts, subsetDeckFonts } from './font-subset.ts'
import { hashInputs } from './hash.ts'
import { silentProgress } from './progress.ts'
import { readingLinkLabel } from './reading-view.ts'
import { startSiteServer } from './server.ts'
import { finishDeckHtml, socialCard } from './social.ts'
import { StageCache } from './stage-cache.ts'
import { componentsUsed, stageKeys } from './stage-keys.ts'

/** Decks in flight at once when nothing says otherwise (measured: see BENCHMARKS.md). */
export const DEFAULT_CONCURRENCY = 2

export interface PipelineOptions {
  /** Where the site is published (the title defaults to toolkit.config.ts's). */
  site: Pick<SiteOptions, 'base' | 'url'> & Partial<SiteOptions>
  /** Root of the stage cache (default .cache/, or TALKS_CACHE_DIR). */
  cacheDir?: string
  /** Run every stage again, ignoring the cache. */
  force?: boolean
  /** One PDF page per click step (export --per-click); no pictures are taken then. */
  perClick?: boolean
  concurrency?: number
  /** Slidev's own output as it comes, instead of only on failure. */
  verbose?: boolean
  progress?: Progress
}

export interface StageRun {
  stage: StageName
  status: StageStatus
  key: string
  ms: number
}

/** What the render stage keeps beside the PDF and the pictures. */
export interface RenderInfo {
  pages: number
  /** The text each slide lays out (index 0 is slide 1); empty per click. */
  texts: string[]
  /** Fonts embedded in the PDF. */
  fonts: string[]
  /** Links to the site printed as text (the site URL was unknown). */
  linksAsText: string[]
  bytes: number
  /** The pictures' fingerprints by path (site/pictures.ts), and how many were copied from an earlier render. */
  pictures?: Record<string, string>
  picturesReused?: number
}

export interface DeckRun {
  deck: Deck
  keys: StageKeys
  stages: StageRun[]
  /** The cached Slidev build (served from `<base><slug>/`). */
  buildDir?: string
  /** thumbs/, og.png, deck.pdf, render.json */
  renderDir?: string
  render?: RenderInfo
  /** The site's copy of the deck (build + pictures + font subsets). */
  siteDir?: string
  /** blog/… and <slug>/transcript/, to be copied into the site root. */
  transcriptDir?: string
}

/** The file name of the PDF inside a render entry. */
export const RENDER_PDF = 'deck.pdf'

interface Session {
  printer: Printer
  server: SiteServer
}

/** Stages with an entry of their own in the cache (`renderPdf` is a second key of the render stage). */
type CachedStage = Exclude<keyof StageKeys, 'renderPdf'>

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

/** Characters the deck's sources can show: the deck (notes and README left out), the components it uses, styles, setup, config. */
async function sourceChars(deck: Deck): Promise<Set<number>> {
  const texts = await deckTexts(deck.dir, [
    ...componentsUsed(deck.dir),
    ...[
      'styles',
      'setup',
      'toolkit.config.ts',
    ].map(p => join(repoRoot, p)),
  ])
  // Added to the built page after the render pass (reading-view.ts), so never laid out there.
  return usedCodepoints([
    ...texts,
    readingLinkLabel(deck),
  ])
}

/** Printable ASCII: Slidev's controls around slide 1 (counter, labels) draw from it. */
const ASCII = usedCodepoints([])

export class Pipeline {
  readonly cache: StageCache
  readonly options: PipelineOptions
  private session?: Promise<Session>
  /** Decks of the run whose build stage has not ended: while any has, the build server is busy (openSession). */
  private toBuild = 0
  private progress: Progress

  constructor(options: PipelineOptions) {
    this.options = options
    this.cache = new StageCache(options.cacheDir)
    this.progress = options.progress ?? silentProgress
  }

  keys(deck: Deck, pdf = true): StageKeys {
    return stageKeys(deck, {
      base: this.options.site.base,
      siteUrl: this.options.site.url,
      perClick: this.options.perClick,
      pdf,
    })
  }

  /**
   * Runs one stage through the cache: reused when its key (or one of `alsoServes`, tried first) is
   * there and not forced, else filled by `make` under `key`.
   */
  private async stage(run: DeckRun, stage: CachedStage, make: (dir: string) => Promise<void>, detail?: (dir: string) => Promise<string | undefined>, key = run.keys[stage], alsoServes: string[] = []): Promise<string> {
    const slug = run.deck.slug
    const started = Date.now()
    let hit: { key: string, dir: string } | undefined
    for (const k of this.options.force
      ? []
      : [...alsoServes, key]) {
      const dir = await this.cache.get(stage, slug, k)
      if (dir) {
        hit = { key: k, dir }
        break
      }
    }
    if (hit) {
      run.stages.push({
        stage,
        status: 'reused',
        key: hit.key,
        ms: Date.now() - started,
      })
      // Reported once per deck, every reused stage on one line (run()).
      return hit.dir
    }
    this.progress.start(slug, stage)
    const dir = await this.cache.put(stage, slug, key, make).catch((e: unknown) => {
      throw annotateFault(e, { during: `deck ${slug}, ${stage} stage`, cache: this.cache.root })
    })
    const ms = Date.now() - started
    run.stages.push({ stage, status: 'ran', key, ms })
    this.progress.done(slug, stage, 'ran', ms, await detail?.(dir))
    return dir
  }

  private base(deck: Deck): string {
    return `${this.options.site.base}${deck.slug}/`
  }

  /** Stage 1: `slidev build` of the deck for the site, without notes, social card in, fonts pruned to the deck. */
  private async build(run: DeckRun): Promise<string> {
    const { deck } = run
    return this.stage(run, 'build', async (dir) => {
      try {
        await slidevBuild(deck, {
          base: this.base(deck),
          outDir: dir,
          // Speaker notes are the presenter's; the public transcript is generated separately.
          withoutNotes: true,
          // subsetDeckFonts below replaces the Japanese font's faces.
          fontsCutAfter: true,
          verbose: this.options.verbose,
          site: { url: this.options.site.url, base: this.options.site.base },
        })
      }
      catch (e) {
        // A full disk or an unwritable cache fails Slidev too: say that, not "the deck failed".
        if (e instanceof SlidevBuildError)
          throw faultFromOutput(e.output) ?? new UserError(explainBuildFailure(deck, e.output))
        throw e
      }
      // The site writes one set of fallbacks for all decks; Slidev's per-deck copies would be dead files.
      await rm(join(dir, '404.html'), { force: true })
      await rm(join(dir, '_redirects'), { force: true })
      const indexFile = join(dir, 'index.html')
      await writeFile(indexFile, finishDeckHtml(await readFile(indexFile, 'utf8'), socialCard(deck, { title: config.site.title, ...this.options.site })))
      // @fontsource's ~120 slices per weight become one file per weight holding every character the
      // deck's sources can show: the render pass loads that, and the PDF embeds one font per weight
      // instead of one per slice (about 2.5 times smaller). Only the local browser loads these, so
      // they stay TrueType (woff2's compression is most of a cut's time); the fonts stage cuts the
      // site's woff2 subsets from what the slides really lay out.
      await subsetDeckFonts(dir, {
        first: new Set(),
        all: await sourceChars(deck),
      }, { format: 'truetype' })
      await removeUnreferencedFonts(dir)
    })
  }

  private openSession(): Promise<Session> {
    this.session ??= (async () => {
      // Loaded on demand: a build with nothing to render never loads Playwright.
      const [{ findBrowser }, { connectPrinter, launchPrinter }] = await Promise.all([
        import('../browser.ts'),
        import('../pdf/printer.ts'),
      ])
      const [opened, started] = await Promise.allSettled([
        // Only printing happens here: the headless shell when installed (browser.ts). In the print
        // host the build server keeps when this command built in it (keptPrinter), else in a
        // browser of this command's own.
        findBrowser({ print: true })
          // Only when this command builds no more: on 2 cores, printing in the print host beside a
          // build made a cold 3-deck publish slower (33.1 / 33.9 s -> 34.7 / 38.5 s; BENCHMARKS.md),
          // where an edited deck's render gains most.
          .then(executable => this.toBuild === 0
            ? keptPrinter(executable)
            : undefined)
          .then(socket => socket
            ? connectPrinter(socket).catch(() => launchPrinter())
            : launchPrinter()),
        startSiteServer({ gzip: false }),
      ])
      // One failed: close the other, or a server left listening keeps the process from exiting.
      if (opened.status === 'rejected' || started.status === 'rejected') {
        if (opened.status === 'fulfilled')
          await opened.value.close()
        if (started.status === 'fulfilled')
          await started.value.close()
        throw opened.status === 'rejected'
          ? opened.reason
          : (started as PromiseRejectedResult).reason
      }
      return { printer: opened.value, server: started.value }
    })()
    return this.session
  }

  /**
   * Stage 2: the render pass on the build's /export page. `pictures`: the thumbnails, social card
   * and laid-out text the site needs, taken in the same visit; without them (the PDF alone, for
   * `npm run export`) the pass is shorter, kept under its own key, and a full entry serves as well.
   */
  private async render(run: DeckRun, buildDir: string, pictures: boolean): Promise<string> {
    const { deck } = run
    const perClick = Boolean(this.options.perClick)
    const pdfOnly = !pictures && !perClick
    const dir = await this.stage(run, 'render', async (out) => {
      const [{ finishPdf, parseAspect }, { buildOutline }, { mergeSlideInfo, readSlideInfo }, { checkSize }] = await Promise.all([
        import('../pdf/document.ts'),
        import('../pdf/outline.ts'),
        import('../pdf/slides.ts'),
        import('../pdf/limits.ts'),
      ])
      // Opened by the first render pass, not during the first build: on 2 cores Chromium starting
      // beside Slidev's build slowed the build by more than it saved (BENCHMARKS.md).
      const session = await this.openSession()
      const base = this.base(deck)
      session.server.mount({ root: buildDir, base })
      const printed = await session.printer.print({ origin: session.server.origin, base }, {
        slug: deck.slug,
        perClick,
        pictures: perClick || pdfOnly
          ? undefined
          : {
              dir: out,
              salt: hashInputs({
                paths: [
                  join(repoRoot, 'public'),
                  join(deck.dir, 'public'),
                ],
              }),
              earlier: await this.earlierPictures(deck),
            },
      })
      const slides = mergeSlideInfo(await readSlideInfo(deck), printed.slides)
      const firstPage = new Map<number, number>()
      printed.pages.forEach((p, i) => {
        if (!firstPage.has(p.no))
          firstPage.set(p.no, i)
      })
      const { bytes, fonts, links } = await finishPdf(printed.pdf, {
        width: printed.width,
        aspect: parseAspect(deck.meta.aspectRatio),
        meta: pdfMetadata(deck),
        outline: buildOutline(slides, no => firstPage.get(no)),
        links: { printOrigin: session.server.origin, siteUrl: this.options.site.url },
        pages: printed.pages,
      })
      const size = checkSize(bytes.byteLength)
      if (size.level === 'fail')
        throw new UserError(`deck ${deck.slug}: ${size.message}`)
      await writeFile(join(out, RENDER_PDF), bytes)
      const info: RenderInfo = {
        pages: printed.pages.length,
        texts: printed.pictures?.texts ?? [],
        fonts,
        linksAsText: [
          ...new Set(links.removed),
        ],
        bytes: bytes.byteLength,
        pictures: printed.pictures?.prints,
        picturesReused: printed.pictures?.reused,
      }
      await writeFile(join(out, 'render.json'), `${JSON.stringify(info, null, 2)}\n`)
    }, async (d) => {
      const info = JSON.parse(await readFile(join(d, 'render.json'), 'utf8')) as RenderInfo
      return `${info.pages} pages${info.picturesReused
        ? `, ${info.picturesReused} pictures unchanged`
        : ''}`
    }, pdfOnly
      ? run.keys.renderPdf
      : run.keys.render, pdfOnly
      ? [run.keys.render]
      : [])
    run.render = JSON.parse(await readFile(join(dir, 'render.json'), 'utf8')) as RenderInfo
    return dir
  }

  /** The newest earlier render of the deck that has pictures, with their fingerprints (site/pictures.ts). */
  private async earlierPictures(deck: Deck): Promise<{ dir: string, prints: Record<string, string> } | undefined> {
    if (this.options.force)
      return undefined
    for (const dir of await this.cache.entries('render', deck.slug)) {
      const info = await readFile(join(dir, 'render.json'), 'utf8').then(t => JSON.parse(t) as RenderInfo, () => undefined)
      if (info?.pictures)
        return { dir, prints: info.pictures }
    }
    return undefined
  }

  /** Stage 3: the site's copy of the deck, with its pictures and BIZ UDPGothic cut to what its slides lay out. */
  private async fonts(run: DeckRun, buildDir: string, renderDir: string): Promise<string> {
    const { deck } = run
    const texts = run.render?.texts ?? []
    return this.stage(run, 'fonts', async (dir) => {
      await cp(buildDir, dir, { recursive: true })
      await cp(join(renderDir, 'thumbs'), join(dir, 'thumbs'), { recursive: true })
      await cp(join(renderDir, 'og.png'), join(dir, 'og.png'))
      await subsetDeckFonts(dir, {
        first: new Set([
          ...ASCII,
          ...usedCodepoints([texts[0] ?? ''], { ascii: false }),
        ]),
        all: new Set([
          ...await sourceChars(deck),
          ...usedCodepoints(texts),
        ]),
      })
      await removeUnreferencedFonts(dir)
    })
  }

  /** Stage 4: the transcript (Zenn, Hatena Blog, the site's page), laid out as under the site root. */
  private async transcript(run: DeckRun, pdf: boolean): Promise<string> {
    return this.stage(run, 'transcript', async (dir) => {
      const { writeTranscripts } = await import('../transcript/index.ts')
      await writeTranscripts([run.deck], {
        outRoot: dir,
        base: this.options.site.base,
        siteUrl: this.options.site.url || undefined,
        pdf,
      })
    })
  }

  /**
   * The deck's Slidev build for the site (no notes), from the cache when current: the rendered
   * check and the render pass use the same one.
   */
  async buildDeck(deck: Deck): Promise<string> {
    const run: DeckRun = {
      deck,
      keys: this.keys(deck),
      stages: [],
    }
    return this.build(run)
  }

  /**
   * Runs each deck through the stages asked for; a failing deck does not stop the others, and
   * every failure is reported together at the end (naming the deck, and the slide when known).
   */
  async run(decks: Deck[], want: { site: boolean, pdf: boolean, transcript: boolean }): Promise<DeckRun[]> {
    const runs = decks.map(deck => ({
      deck,
      keys: this.keys(deck, want.pdf),
      stages: [],
    }) as DeckRun)
    const failures: string[] = []
    // A fault from the machine (disk full, browser gone...) stops every deck: the CLI says it in one line.
    let fault: unknown
    const queue = [...runs]
    this.toBuild = want.site || want.pdf
      ? runs.length
      : 0
    const worker = async () => {
      for (let run = queue.shift(); run; run = queue.shift()) {
        try {
          if (want.site || want.pdf) {
            run.buildDir = await this.build(run).finally(() => this.toBuild--)
            run.renderDir = await this.render(run, run.buildDir, want.site)
            if (want.site)
              run.siteDir = await this.fonts(run, run.buildDir, run.renderDir)
          }
          if (want.transcript)
            run.transcriptDir = await this.transcript(run, want.pdf)
          const reused = run.stages.filter(st => st.status === 'reused')
          if (reused.length)
            this.progress.done(run.deck.slug, reused.map(st => st.stage).join(', '), 'reused', reused.reduce((t, st) => t + st.ms, 0))
        }
        catch (e) {
          if (isFault(e)) {
            fault ??= annotateFault(e, { during: `deck ${run.deck.slug}` })
            queue.length = 0
            continue
          }
          const err = e as Error & { userFacing?: boolean }
          const message = err.userFacing
            ? err.message
            : `deck ${run.deck.slug}: ${err.stack ?? err}`
          failures.push(message)
          this.progress.note(`✖ ${message}`)
        }
      }
    }
    await Promise.all(Array.from({
      length: Math.max(1, Math.min(this.options.concurrency ?? DEFAULT_CONCURRENCY, runs.length)),
    }, worker))
    if (fault)
      throw fault
    if (failures.length) {
      throw new UserError(`${failures.length === 1
        ? '1 deck'
        : `${failures.length} decks`} failed; nothing was published, earlier output is left as it was:\n${failures.join('\n')}`)
    }
    return runs
  }

  async close(): Promise<void> {
    const session = await this.session?.catch(() => undefined)
    this.session = undefined
    if (session) {
      // A print host the build server keeps is only disconnected from.
      await session.printer.close()
      await session.server.close()
    }
    // After the printer: a retiring build server keeps its print host until this command lets it go.
    closeSlidevBuilds()
  }
}

/**
 * The deck's Slidev build for the site (base `<site base><slug>/`, no notes), from the stage cache
 * when its inputs did not change, built into it otherwise. Returns the cached folder: read it, do
 * not write into it. For the rendered check (`npm run check -- --render`) and anything else that
 * needs a deck's build without publishing it.
 */
export async function buildDeck(deck: Deck, options: Omit<PipelineOptions, 'perClick' | 'concurrency'>): Promise<string> {
  const pipeline = new Pipeline(options)
  try {
    return await pipeline.buildDeck(deck)
  }
  finally {
    await pipeline.close()
  }
}
