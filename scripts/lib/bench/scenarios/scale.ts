/**
 * Scale: the speaker has given many more talks than three. N synthetic decks (copies of the public
 * decks with distinct slugs, in a folder of their own) published with `npm run build`: cold, again
 * with nothing changed, and after one deck's heading changed; with the peak memory of the
 * process tree. Cost per deck should stay flat as N grows, and memory should not grow with N.
 * N is 3, 12 and 30 (TALKS_BENCH_SCALE="3,12" picks others); one measured run per N, since a cold
 * build of 30 decks takes minutes.
 */
import type { ProcessRun } from '../process.ts'
import type { BenchContext, Scenario } from '../types.ts'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { repoRoot } from '../../paths.ts'
import { stopBuildServers } from '../../slidev-build.ts'
import { fmtSeconds, table } from '../harness.ts'
import { runMeasured } from '../process.ts'
import { copyDecks, editHeading } from '../workspace.ts'

const cli = join(repoRoot, 'scripts', 'cli.ts')

function gb(bytes: number): string {
  return bytes
    ? `${(bytes / 1024 ** 3).toFixed(2)} GB`
    : 'n/a'
}

const scenario: Scenario = {
  id: 'scale',
  title: 'Scale: publishing 3, 12 and 30 decks',
  onlyWhenNamed: true,
  description: 'N decks (copies of the public decks with distinct slugs) published by `npm run build`: cold with an empty cache, then with nothing changed, then after one deck\'s heading changed. One run per N; peak memory as the RSS of the largest process and the PSS summed over the process tree.',
  async run(ctx: BenchContext) {
    const sizes = (process.env.TALKS_BENCH_SCALE ?? '3,12,30').split(',').map(Number).filter(n => n > 0)
    const rows: (string | number)[][] = []
    /** One per N, in the order measured. */
    const measured: { n: number, perDeck: number, pss: number, largest: number }[] = []
    for (const n of sizes) {
      const copies = Math.ceil(n / ctx.decks.length)
      const dir = copyDecks(`scale-${n}`, ctx.decks, copies)
      // Exactly n decks: the last copies beyond n are removed.
      const slugs = readdirSync(dir).sort()
      for (const extra of slugs.slice(n))
        rmSync(join(dir, extra), { recursive: true, force: true })
      const kept = slugs.slice(0, n)
      const cache = join(ctx.tmpDir, `scale-cache-${n}`)
      const build = (args: string[] = []): Promise<ProcessRun> => runMeasured(process.execPath, [
        cli,
        'build',
        '--decks-dir',
        dir,
        '--out',
        join(ctx.tmpDir, `scale-dist-${n}`),
        '--cache-dir',
        cache,
        ...args,
      ], { TALKS_BUILD_SERVER: '1' })
      try {
        ctx.log(`N=${n}: cold`)
        const cold = await build(['--force'])
        ctx.log(`N=${n}: cold ${fmtSeconds(cold.ms)}; nothing changed`)
        const noop = await build()
        editHeading(join(dir, kept[0]!), 1)
        ctx.log(`N=${n}: one deck edited`)
        const edit = await build()
        measured.push({
          n,
          perDeck: cold.ms / n,
          pss: cold.peakPss,
          largest: cold.peakLargest,
        })
        rows.push([
          n,
          fmtSeconds(cold.ms),
          fmtSeconds(cold.ms / n),
          fmtSeconds(noop.ms),
          fmtSeconds(edit.ms),
          gb(cold.peakLargest),
          gb(cold.peakPss),
          cold.lines,
        ])
      }
      finally {
        await stopBuildServers(join(cache, 'build-server'))
        rmSync(dir, { recursive: true, force: true })
        rmSync(cache, { recursive: true, force: true })
      }
    }
    // Growth is what the budgets catch: the largest N against the smallest (a cost per deck that
    // falls as N grows is flat or better, and passes).
    const byN = [...measured].sort((a, b) => a.n - b.n)
    const growth = (pick: (m: typeof measured[number]) => number): number => byN.length > 1
      ? pick(byN.at(-1)!) / pick(byN[0]!)
      : 1
    const flat = growth(m => m.perDeck)
    const memory = growth(m => m.largest)
    const pssGrowth = growth(m => m.pss)
    const largest = Math.max(...measured.map(m => m.largest))
    return {
      runs: 'one run of each command per N, no warm-up',
      markdown: [
        table([
          'N decks',
          'cold publish',
          'per deck',
          'nothing changed',
          'one deck edited',
          'peak RSS, largest process (cold)',
          'peak PSS, process tree (cold)',
          'lines printed (cold)',
        ], rows),
        '',
        `Largest N over smallest N: per-deck cost ${flat.toFixed(2)}x, peak RSS of the largest process ${memory.toFixed(2)}x, peak PSS of the tree ${pssGrowth.toFixed(2)}x (flat is 1.00x; below it, cheaper per deck as N grows).`,
      ].join('\n'),
      budgets: [
        {
          name: 'per-deck cost, largest N / smallest N',
          value: flat,
          limit: 1.25,
          unit: 'x',
          ok: flat <= 1.25,
        },
        {
          name: 'peak RSS of the largest process, largest N / smallest N',
          value: memory,
          limit: 1.25,
          unit: 'x',
          ok: memory <= 1.25,
        },
        {
          name: 'peak RSS of the largest process, any N',
          value: largest / 1024 ** 3,
          limit: 1,
          unit: 'GB',
          ok: largest <= 1024 ** 3,
        },
        {
          name: 'peak PSS of the tree, largest N / smallest N',
          value: pssGrowth,
          limit: 1.25,
          unit: 'x',
          ok: pssGrowth <= 1.25,
        },
      ],
    }
  },
}
export default scenario
