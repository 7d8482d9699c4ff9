/**
 * PDF benchmark: this toolkit's export against Marp CLI and against plain `slidev export`.
 *
 * - 40 slides: one generated plain-Markdown deck rendered by Marp CLI (`marp --pdf`) and, with a
 *   Slidev headmatter, by the toolkit from a current build (built once, untimed). Target:
 *   toolkit ≤ 1.5x Marp.
 * - Every deck cold: the toolkit's export with an empty cache (build and print, all decks in one
 *   run) against `slidev build` + `slidev export` run per deck, one after another. Target: ≥ 2x.
 *
 * Each measurement is a separate process (as a user would run it), timed by wall clock; the
 * median of `runs` runs is reported. Until the harness in scripts/lib/bench/ exports its types,
 * the scenario is a standalone module with a `run()` returning rows and a Markdown section.
 * Run alone: node scripts/lib/bench/scenarios/pdf.ts [runs]
 */
import type { Deck } from '../../decks.ts'
import type { BenchContext, Scenario } from '../types.ts'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { findBrowser } from '../../browser.ts'
import { loadDeck, scanDecks } from '../../decks.ts'
import { repoRoot } from '../../paths.ts'
import { buildDeck } from '../../site/pipeline.ts'
import { slidevBin } from '../../slidev.ts'

export interface BenchRow {
  name: string
  /** Wall-clock milliseconds of each run. */
  runs: number[]
  median: number
  note?: string
}

export interface BenchRatio {
  name: string
  value: number
  target: string
  met: boolean
}

export interface ScenarioResult {
  rows: BenchRow[]
  ratios: BenchRatio[]
  markdown: string
}

const SLIDES = 40
const self = fileURLToPath(import.meta.url)

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2
    ? s[mid]!
    : (s[mid - 1]! + s[mid]!) / 2
}

/** Plain Markdown both tools render the same way: a title, three points and a link per slide. */
export function generateDeckBody(slides = SLIDES): string {
  return Array.from({ length: slides }, (_, i) => [
    `# ${i + 1}. イベントドリブンアーキテクチャの論点`,
    '',
    `- フルマネージドサービスを組み合わせる（${i + 1}）`,
    '- 失敗したイベントは再試行し、最後はデッドレターキューへ',
    '- 条件でフィルタリングし、データを変換してから届ける',
    `- [参考リンク](https://example.com/${i + 1})`,
    '',
  ].join('\n')).join('\n---\n\n')
}

function slidevHeadmatter(addonPath: string): string {
  return [
    '---',
    'title: ベンチマーク用の40枚デッキ',
    'addons:',
    `  - ${addonPath}`,
    'talk:',
    '  date: "2026-01-01"',
    '  event:',
    '    name: ベンチマーク',
    '  slot: 40',
    '  speaker: nekoruri',
    '---',
    '',
  ].join('\n')
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let err = ''
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000)
    })
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code === 0)
        resolve(performance.now() - started)
      else
        reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${err}`))
    })
  })
}

async function measure(name: string, runs: number, fn: () => Promise<number>, log: (l: string) => void, note?: string): Promise<BenchRow> {
  const times: number[] = []
  const failures: string[] = []
  for (let i = 0; i < runs; i++) {
    try {
      times.push(await fn())
      log(`  ${name}: run ${i + 1}/${runs} ${(times.at(-1)! / 1000).toFixed(2)} s`)
    }
    catch (e) {
      // A failed run is a result too (plain `slidev export` times out on a busy machine).
      failures.push((e as Error).message.split('\n').find(l => /Timeout|Error/.test(l)) ?? 'failed')
      log(`  ${name}: run ${i + 1}/${runs} FAILED: ${failures.at(-1)}`)
    }
  }
  const failNote = failures.length
    ? `${failures.length} of ${runs} runs failed: ${failures[0]}`
    : undefined
  return {
    name,
    runs: times,
    median: times.length
      ? median(times)
      : Number.NaN,
    note: [note, failNote].filter(Boolean).join('; ') || undefined,
  }
}

/** Child-process entry: export decks with the toolkit, as `npm run export` would. */
async function child(argv: string[]): Promise<void> {
  const [mode, ...rest] = argv
  const { exportDecksToPdf } = await import('../../pdf/index.ts')
  const outDir = rest[0]!
  if (mode === 'built') {
    const [, deckDir, built] = rest
    const deck = loadDeck(deckDir!, deckDir!.split('/').pop()!)
    // The render stage runs every time; the build stage comes from the cache.
    rmSync(join(built!, 'render'), { recursive: true, force: true })
    await exportDecksToPdf([deck], {
      site: { base: '/', url: '' },
      outFile: d => join(outDir, `${d.slug}.pdf`),
      // The stage cache given holds the deck's build: only the render stage runs.
      cacheDir: built,
      log: () => {},
    })
  }
  else {
    await exportDecksToPdf(scanDecks().decks, {
      outFile: d => join(outDir, `${d.slug}.pdf`),
      force: true,
      log: () => {},
    })
  }
}

export async function runPdfBench(options: { runs?: number, log?: (line: string) => void } = {}): Promise<ScenarioResult> {
  const runs = options.runs ?? 3
  const log = options.log ?? (l => console.log(l))
  const chrome = await findBrowser({ print: true })
  const work = join(repoRoot, '.cache', 'bench', 'pdf')
  mkdirSync(work, { recursive: true })
  const tmp = mkdtempSync(join(tmpdir(), 'bench-pdf-'))
  const node = process.execPath
  const rows: BenchRow[] = []

  // The generated deck: plain Markdown for Marp, the same with a headmatter for Slidev.
  const body = generateDeckBody()
  const marpFile = join(work, 'marp-40.md')
  writeFileSync(marpFile, body)
  const deckDir = join(work, '_bench-pdf-40')
  mkdirSync(deckDir, { recursive: true })
  // The addon path is resolved from the deck folder's parent: .cache/bench/pdf → repo root.
  writeFileSync(join(deckDir, 'slides.md'), slidevHeadmatter(relative(work, repoRoot)) + body)
  const deck: Deck = loadDeck(deckDir, '_bench-pdf-40')
  // A stage cache holding the deck's build (built once, not timed).
  const built = join(work, 'cache-40')
  log('  building the 40-slide deck once (not timed, unless cached)')
  await buildDeck(deck, {
    site: { base: '/', url: '' },
    cacheDir: built,
  })

  const marpBin = join(repoRoot, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js')
  rows.push(await measure('Marp CLI, 40 slides', runs, () => run(node, [
    marpBin,
    '--pdf',
    '--allow-local-files',
    marpFile,
    '-o',
    join(tmp, 'marp.pdf'),
  ], { CHROME_PATH: chrome }), log))
  rows.push(await measure('toolkit export, 40 slides, from a current build', runs, () => run(node, [
    self,
    '--child',
    'built',
    tmp,
    deckDir,
    built,
  ]), log))
  rows.push(await measure('slidev export, 40 slides', runs, () => run(node, [
    slidevBin(),
    'export',
    relative(repoRoot, deck.entry),
    '--output',
    join(tmp, 'slidev-40.pdf'),
    '--executable-path',
    chrome,
    '--timeout',
    '120000',
  ]), log))

  const decks = scanDecks().decks
  rows.push(await measure(`toolkit export (the PDF path only: no site, thumbnails or transcripts), all ${decks.length} decks cold`, runs, () => {
    const cache = mkdtempSync(join(tmpdir(), 'bench-pdf-cache-'))
    return run(node, [self, '--child', 'all', tmp], { TALKS_CACHE_DIR: cache }).finally(() => rmSync(cache, { recursive: true, force: true }))
  }, log, decks.map(d => d.slug).join(', ')))
  rows.push(await measure(`slidev build + slidev export per deck, ${decks.length} decks one after another`, runs, async () => {
    let total = 0
    for (const d of decks) {
      const entry = relative(repoRoot, d.entry)
      total += await run(node, [
        slidevBin(),
        'build',
        entry,
        '--base',
        `/${d.slug}/`,
        '--out',
        join(tmp, 'slidev-build', d.slug),
      ])
      total += await run(node, [
        slidevBin(),
        'export',
        entry,
        '--output',
        join(tmp, `slidev-${d.slug}.pdf`),
        '--executable-path',
        chrome,
        '--timeout',
        '120000',
      ])
    }
    return total
  }, log))
  rmSync(tmp, { recursive: true, force: true })

  const [marp, toolkit40, slidev40, toolkitCold, slidevCold] = rows as [BenchRow, BenchRow, BenchRow, BenchRow, BenchRow]
  const ratios: BenchRatio[] = [
    {
      name: 'toolkit / Marp (40 slides, current build)',
      value: toolkit40.median / marp.median,
      target: '≤ 1.5',
      met: toolkit40.median / marp.median <= 1.5,
    },
    {
      name: 'slidev export / toolkit (40 slides)',
      value: slidev40.median / toolkit40.median,
      target: '(for reference)',
      met: true,
    },
    {
      name: 'plain Slidev / toolkit (all decks cold, PDF path only)',
      value: slidevCold.median / toolkitCold.median,
      target: '≥ 2',
      met: slidevCold.median / toolkitCold.median >= 2,
    },
  ]
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const markdown = [
    '## PDF export',
    '',
    `Median of ${runs} runs, wall clock, each a separate process; system Chromium (${chrome}).`,
    '',
    '| Measurement | Median | Runs |',
    '| --- | ---: | --- |',
    ...rows.map(r => `| ${r.name}${r.note
      ? ` (${r.note})`
      : ''} | ${s(r.median)} | ${r.runs.map(s).join(', ')} |`),
    '',
    '| Ratio | Value | Target | Met |',
    '| --- | ---: | --- | --- |',
    ...ratios.map(r => `| ${r.name} | ${r.value.toFixed(2)}x | ${r.target} | ${r.met ? 'yes' : 'no'} |`),
    '',
  ].join('\n')
  return { rows, ratios, markdown }
}

/** The harness's contract (scripts/lib/bench/types.ts). */
const scenario: Scenario = {
  id: 'pdf',
  title: 'PDF export: toolkit vs Marp CLI and plain slidev export',
  description: 'A generated 40-slide plain-Markdown deck rendered to PDF by Marp CLI and by the toolkit from a current build; every deck exported cold (build + print) by the toolkit against `slidev build` + `slidev export` per deck, one after another. Wall clock, one process per measurement, system Chromium.',
  async run(ctx: BenchContext) {
    const result = await runPdfBench({ runs: ctx.runs, log: ctx.log })
    const [toMarp, , toSlidev] = result.ratios as [BenchRatio, BenchRatio, BenchRatio]
    return {
      markdown: result.markdown.replace(/^## .*\n\n/, ''),
      budgets: [
        {
          name: 'toolkit / Marp, 40 slides from a current build',
          value: toMarp.value,
          limit: 1.5,
          unit: 'x',
          ok: toMarp.met,
        },
        {
          name: 'toolkit / plain Slidev, all decks cold',
          value: 1 / toSlidev.value,
          limit: 0.5,
          unit: 'x',
          ok: toSlidev.met,
        },
      ],
    }
  },
}
export default scenario

if (import.meta.main) {
  const args = process.argv.slice(2)
  if (args[0] === '--child') {
    await child(args.slice(1))
  }
  else {
    const result = await runPdfBench({
      runs: Number(args[0] ?? 3),
    })
    console.log(`\n${result.markdown}`)
  }
}
