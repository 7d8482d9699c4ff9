/**
 * Publishing, as a user runs it: the toolkit's `npm run build` and `npm run export` against doing
 * the same by hand with plain Slidev (`slidev build` + `slidev export` per deck), and Marp CLI for
 * a single-deck PDF from source. Flows: every public deck cold; one deck edited (a heading, and a
 * speaker note); one deck to PDF with nothing built; nothing changed. Each measurement is a
 * separate process timed by wall clock, with the peak RSS of its process tree and the lines it
 * printed. The decks are copies (workspace.ts), so edits never touch decks/.
 */
import type { Deck } from '../../decks.ts'
import type { Compared } from '../harness.ts'
import type { ProcessRun } from '../process.ts'
import type { BenchContext, Scenario } from '../types.ts'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import process from 'node:process'
import { findBrowser } from '../../browser.ts'
import { loadDeck } from '../../decks.ts'
import { repoRoot } from '../../paths.ts'
import { stopBuildServers } from '../../slidev-build.ts'
import { slidevBin } from '../../slidev.ts'
import { compare, fmtSeconds, ratio, table } from '../harness.ts'
import { runMeasured } from '../process.ts'
import { copyDecks, editHeading, editNote } from '../workspace.ts'
import { generateDeckBody } from './pdf.ts'

const node = process.execPath
const cli = join(repoRoot, 'scripts', 'cli.ts')

function mb(bytes: number): string {
  return bytes
    ? `${(bytes / 1024 ** 3).toFixed(2)} GB`
    : 'n/a'
}

/** `slidev build` + `slidev export` of one deck, as a user publishing it by hand would run them. */
async function plainPublish(deck: Deck, out: string, chrome: string): Promise<ProcessRun> {
  const a = await plainBuild(deck, out)
  const b = await plainExport(deck, out, chrome)
  return {
    ms: a.ms + b.ms,
    lines: a.lines + b.lines,
    ...peakOf([a, b]),
    output: '',
  }
}

function plainBuild(deck: Deck, out: string): Promise<ProcessRun> {
  return runMeasured(node, [
    slidevBin(),
    'build',
    relative(repoRoot, deck.entry),
    '--base',
    `/${deck.slug}/`,
    '--out',
    join(out, deck.slug),
  ])
}

function plainExport(deck: Deck, out: string, chrome: string): Promise<ProcessRun> {
  return runMeasured(node, [
    slidevBin(),
    'export',
    relative(repoRoot, deck.entry),
    '--output',
    join(out, `${deck.slug}.pdf`),
    '--executable-path',
    chrome,
    '--timeout',
    '120000',
  ])
}

/**
 * Where Vite keeps the dependencies it pre-bundled for Slidev's dev server, which `slidev export`
 * prints from: beside Slidev's CLI when it runs from outside the deck's folder (as here), else in the
 * deck's node_modules. A run after the first finds them there; on a fresh install it makes them.
 */
function slidevDepsCaches(deck: Deck): string[] {
  return [
    join(dirname(dirname(slidevBin())), 'node_modules', '.vite'),
    join(deck.dir, 'node_modules', '.vite'),
  ]
}

/** `slidev export` as on a fresh install: Vite's pre-bundled dependencies removed first. */
function plainExportFromNothing(deck: Deck, out: string, chrome: string): Promise<ProcessRun> {
  for (const dir of slidevDepsCaches(deck))
    rmSync(dir, { recursive: true, force: true })
  return plainExport(deck, out, chrome)
}

/** The peaks of commands run one after another: the largest of each. */
function peakOf(runs: ProcessRun[]): Pick<ProcessRun, 'peakRss' | 'peakPss' | 'peakLargest'> {
  return {
    peakRss: Math.max(...runs.map(r => r.peakRss)),
    peakPss: Math.max(...runs.map(r => r.peakPss)),
    peakLargest: Math.max(...runs.map(r => r.peakLargest)),
  }
}

function row(c: Compared<ProcessRun>, label = c.name): (string | number)[] {
  const peak = peakOf(c.results)
  const lines = Math.max(...c.results.map(r => r.lines))
  return [
    label,
    fmtSeconds(c.ms.median),
    `${fmtSeconds(c.ms.min)}–${fmtSeconds(c.ms.max)}`,
    mb(peak.peakLargest),
    mb(peak.peakPss),
    mb(peak.peakRss),
    lines,
  ]
}

const scenario: Scenario = {
  id: 'publish',
  title: 'Publishing: npm run build / export against plain Slidev and Marp',
  description: [
    'What a speaker runs to publish, timed from the command line: `npm run build -- --force` (every public',
    'deck: site, thumbnails, social cards, PDFs, transcripts) with an empty cache, against `slidev build` +',
    '`slidev export` per deck one after another; one deck edited (a heading; a speaker note) then',
    '`npm run build`, against plain Slidev publishing that deck again; one deck to PDF with nothing built',
    '(`npm run export -- <deck>`, empty cache) against `slidev export` of it, `slidev export` again with',
    'Vite\'s pre-bundled dependencies removed first (plain Slidev with nothing cached, as the toolkit\'s cold',
    'runs start: the next `slidev dev` or `slidev export` pre-bundles them again), and Marp CLI on a generated',
    'Markdown deck of the same slide count, and beside them plain `slidev build` of that deck alone (the',
    'floor of any PDF printed from a production build); and `npm run build` with nothing changed. The',
    'toolkit runs as a user has it, with its build server (slidev-build.ts): a cold run starts with none',
    'running and an empty cache; the edits find the one the command before them left; the heading edit is',
    'also timed with `TALKS_BUILD_SERVER=0`. Peak memory is sampled every 200 ms over each command\'s process',
    'tree (Chromium and Slidev included) and the build server, three ways: the RSS of its largest process',
    '(what `/usr/bin/time` reports), the PSS of the whole tree (shared pages split among their processes;',
    'read at most once a second and only near the RSS peak, as reading it costs the kernel a walk of every',
    'page table: process.ts), and the RSS of the whole tree (shared pages counted once per process). Every side prints with the same',
    'browser: Chromium\'s headless shell where it is installed (browser.ts), given to `slidev export` as',
    '`--executable-path` and to Marp CLI as `CHROME_PATH`.',
  ].join(' '),
  async run(ctx: BenchContext) {
    const chrome = await findBrowser({ print: true })
    const decksDir = copyDecks('publish', ctx.decks)
    const decks = ctx.decks.map(d => loadDeck(join(decksDir, d.slug), d.slug))
    const work = join(ctx.tmpDir, 'publish')
    mkdirSync(work, { recursive: true })
    // The single-deck flows use the largest deck under 40 slides (ssmjp today), as the table does.
    const one = decks.find(d => d.slug.includes('ssmjp')) ?? decks.at(-1)!
    const slideCount = (await import('../../site/build-site.ts').then(m => m.countSlides(one)))
    // The toolkit as a user runs it, with its build server (runMeasured sets CI, which turns it off).
    const build = (cache: string, args: string[] = [], server = true) => runMeasured(node, [
      cli,
      'build',
      '--decks-dir',
      decksDir,
      '--out',
      join(work, 'dist'),
      '--cache-dir',
      cache,
      ...args,
    ], {
      TALKS_BUILD_SERVER: server
        ? '1'
        : '0',
    })
    /** A cache folder done with: the build server it holds is stopped (a cold run starts with none), then it is removed. */
    const drop = async (cache: string) => {
      await stopBuildServers(join(cache, 'build-server'))
      rmSync(cache, { recursive: true, force: true })
    }
    const opts = { runs: ctx.runs, warmup: ctx.warmup, log: ctx.log }
    let n = 0
    const fresh = () => join(work, `cache-${++n}`)
    try {
      ctx.log('all decks cold')
      const cold = await compare<ProcessRun>([
        {
          name: 'toolkit: npm run build -- --force',
          run: () => {
            const cache = fresh()
            return build(cache, ['--force']).finally(() => drop(cache))
          },
        },
        {
          name: 'plain Slidev: build + export per deck',
          run: async () => {
            const runs: ProcessRun[] = []
            for (const d of decks)
              runs.push(await plainPublish(d, join(work, 'plain'), chrome))
            return {
              ms: runs.reduce((t, r) => t + r.ms, 0),
              lines: runs.reduce((t, r) => t + r.lines, 0),
              ...peakOf(runs),
              output: '',
            }
          },
        },
      ], opts)

      ctx.log(`one deck edited (${one.slug})`)
      const warm = join(work, 'cache-warm')
      await build(warm)
      let round = 0
      const edited = await compare<ProcessRun>([
        {
          name: `toolkit: heading of ${one.slug} changed, npm run build`,
          run: () => {
            editHeading(one.dir, ++round)
            return build(warm)
          },
        },
        {
          name: `toolkit: heading of ${one.slug} changed, TALKS_BUILD_SERVER=0 npm run build (no build server)`,
          run: () => {
            editHeading(one.dir, ++round)
            return build(warm, [], false)
          },
        },
        {
          name: `toolkit: a speaker note of ${one.slug} changed, npm run build`,
          run: () => {
            editNote(one.dir, ++round)
            return build(warm)
          },
        },
        {
          name: `plain Slidev: build + export of ${one.slug}`,
          run: () => plainPublish(one, join(work, 'plain'), chrome),
        },
      ], opts)

      ctx.log('nothing changed')
      const noop = await compare<ProcessRun>([
        {
          name: 'toolkit: npm run build, nothing changed',
          run: () => build(warm),
        },
      ], opts)

      ctx.log(`${one.slug} to PDF with nothing built`)
      const marpFile = join(work, `marp-${slideCount}.md`)
      writeFileSync(marpFile, generateDeckBody(slideCount))
      const marpBin = join(repoRoot, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js')
      const pdf = await compare<ProcessRun>([
        {
          name: `toolkit: npm run export -- ${one.slug} (empty cache)`,
          run: () => {
            const cache = fresh()
            return runMeasured(node, [
              cli,
              'export',
              one.slug,
              '--decks-dir',
              decksDir,
              '--out',
              join(work, 'export'),
            ], { TALKS_CACHE_DIR: cache, TALKS_BUILD_SERVER: '1' })
              .finally(() => drop(cache))
          },
        },
        {
          name: `plain Slidev: slidev export of ${one.slug}`,
          run: () => plainExport(one, join(work, 'plain'), chrome),
        },
        {
          // The toolkit's cold runs start with nothing cached, Node's compile cache included; this is
          // plain Slidev in the same state (the row above reuses what its earlier runs pre-bundled).
          name: `plain Slidev: slidev export of ${one.slug}, Vite's pre-bundled dependencies removed first`,
          run: () => plainExportFromNothing(one, join(work, 'plain'), chrome),
        },
        {
          // The floor of any PDF made from Slidev's production build, as the toolkit's is.
          name: `plain Slidev: slidev build of ${one.slug} alone (no PDF)`,
          run: () => plainBuild(one, join(work, 'plain')),
        },
        {
          name: `Marp CLI: ${slideCount}-slide Markdown deck to PDF`,
          run: () => runMeasured(node, [
            marpBin,
            '--pdf',
            '--allow-local-files',
            marpFile,
            '-o',
            join(work, 'marp.pdf'),
          ], { CHROME_PATH: chrome }),
        },
      ], opts)

      const [tCold, pCold] = cold as [Compared<ProcessRun>, Compared<ProcessRun>]
      const [tHeading, tHeadingNoServer, tNote, pOne] = edited as [Compared<ProcessRun>, Compared<ProcessRun>, Compared<ProcessRun>, Compared<ProcessRun>]
      const [tNoop] = noop as [Compared<ProcessRun>]
      const [tPdf, pPdf, pPdfFromNothing, pBuildOnly, marp] = pdf as [Compared<ProcessRun>, Compared<ProcessRun>, Compared<ProcessRun>, Compared<ProcessRun>, Compared<ProcessRun>]
      const peak = peakOf(tCold.results)
      const budgets = [
        {
          name: 'cold publish, plain Slidev / toolkit',
          value: pCold.ms.median / tCold.ms.median,
          limit: 2.5,
          unit: 'x (≥)',
          ok: pCold.ms.median / tCold.ms.median >= 2.5,
        },
        {
          name: 'one deck edited, toolkit / plain Slidev',
          value: tHeading.ms.median / pOne.ms.median,
          limit: 0.4,
          unit: 'x',
          ok: tHeading.ms.median / pOne.ms.median <= 0.4,
        },
        {
          name: 'notes-only edit',
          value: tNote.ms.median / 1000,
          limit: 2,
          unit: 's',
          ok: tNote.ms.median <= 2000,
        },
        {
          name: 'cold single-deck PDF, toolkit / slidev export',
          value: tPdf.ms.median / pPdf.ms.median,
          limit: 0.5,
          unit: 'x',
          ok: tPdf.ms.median / pPdf.ms.median <= 0.5,
        },
        {
          name: 'nothing changed',
          value: tNoop.ms.median / 1000,
          limit: 1,
          unit: 's',
          ok: tNoop.ms.median <= 1000,
        },
        {
          name: 'peak RSS of a full publish, largest process',
          value: peak.peakLargest / 1024 ** 3,
          limit: 1,
          unit: 'GB',
          ok: peak.peakLargest <= 1024 ** 3,
        },
        {
          name: 'peak PSS of a full publish, whole process tree',
          value: peak.peakPss / 1024 ** 3,
          limit: 1,
          unit: 'GB',
          ok: peak.peakPss <= 1024 ** 3,
        },
      ]
      const markdown = [
        table([
          'flow',
          'median',
          'min–max',
          'peak RSS, largest process',
          'peak PSS, process tree',
          'peak RSS, process tree',
          'lines printed',
        ], [
          row(tCold),
          row(pCold),
          row(tHeading),
          row(tHeadingNoServer),
          row(tNote),
          row(pOne),
          row(tNoop),
          row(tPdf),
          row(pPdf),
          row(pPdfFromNothing),
          row(pBuildOnly),
          row(marp),
        ]),
        '',
        table(['ratio', 'value', 'target'], [
          [
            'cold publish: toolkit faster than plain Slidev by',
            ratio(pCold.ms.median, tCold.ms.median),
            '≥ 2.5x',
          ],
          [
            'one deck edited (heading): toolkit / plain Slidev',
            ratio(tHeading.ms.median, pOne.ms.median),
            '≤ 0.4x',
          ],
          [
            'one deck edited (note): toolkit',
            fmtSeconds(tNote.ms.median),
            '≤ 2 s',
          ],
          [
            'cold single-deck PDF: toolkit / slidev export',
            ratio(tPdf.ms.median, pPdf.ms.median),
            '≤ 0.5x',
          ],
          [
            'cold single-deck PDF, both sides with nothing cached: toolkit / slidev export with Vite\'s pre-bundled dependencies removed',
            ratio(tPdf.ms.median, pPdfFromNothing.ms.median),
            '(reported; the target is judged on the row above)',
          ],
          [
            'plain `slidev build` alone / `slidev export` (the floor of a PDF printed from a production build)',
            ratio(pBuildOnly.ms.median, pPdf.ms.median),
            '(reported)',
          ],
          [
            'one deck edited (heading): build server / no build server',
            ratio(tHeading.ms.median, tHeadingNoServer.ms.median),
            '(reported)',
          ],
          [
            'cold single-deck PDF: toolkit / Marp CLI',
            ratio(tPdf.ms.median, marp.ms.median),
            '(reported)',
          ],
          [
            'nothing changed: toolkit',
            fmtSeconds(tNoop.ms.median),
            '≤ 1 s',
          ],
          [
            'peak memory, full publish: RSS of the largest process (the measure of the issue\'s first table)',
            mb(peak.peakLargest),
            '≤ 1 GB',
          ],
          [
            'peak memory, full publish: PSS summed over the process tree',
            mb(peak.peakPss),
            '≤ 1 GB',
          ],
        ]),
      ].join('\n')
      return { markdown, budgets }
    }
    finally {
      await stopBuildServers(join(work, 'cache-warm', 'build-server'))
      rmSync(decksDir, { recursive: true, force: true })
    }
  },
}
export default scenario
