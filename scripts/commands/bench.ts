/**
 * `npm run bench -- [scenario...] [--runs N] [--warmup N] [--check]`: runs the benchmark
 * scenarios (scripts/lib/bench/scenarios/) and writes their sections of BENCHMARKS.md.
 */
import type { Command } from '../cli.ts'
import { join } from 'node:path'
import { parseOptions } from '../lib/args.ts'
import { loadScenarios, runBench } from '../lib/bench/index.ts'
import { scanDecks } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { repoRoot } from '../lib/paths.ts'

const bench: Command = {
  summary: 'Benchmarks (audience load, PDF export...) written to BENCHMARKS.md.',
  usage: 'bench [scenario...] [--runs N] [--warmup N] [--check]   (publish, load, pdf; scale only when named; --check: exit 1 when a budget is missed)',
  async run(argv) {
    const { positionals, values } = parseOptions('bench', bench.usage, argv, {
      runs: { type: 'string', min: 1 },
      warmup: { type: 'string', min: 0 },
      check: { type: 'boolean' },
    })
    const runs = values.runs === undefined
      ? 3
      : Number(values.runs)
    const warmup = values.warmup === undefined
      ? 1
      : Number(values.warmup)
    const check = values.check
    const all = await loadScenarios()
    const picked = positionals.length
      ? positionals.map((q) => {
          const s = all.find(x => x.id === q)
          if (!s)
            throw new UserError(`no bench scenario "${q}". Scenarios: ${all.map(x => x.id).join(', ')}`)
          return s
        })
      : all.filter(s => !s.onlyWhenNamed)
    const scan = scanDecks({ hidden: true })
    const publicDecks = scan.decks.filter(d => !d.hidden)
    const decks = publicDecks.length
      ? publicDecks
      : scan.decks.filter(d => d.slug === '_starter')
    if (!publicDecks.length)
      console.log('No public deck yet: benchmarking decks/_starter.')
    const results = await runBench({
      scenarios: picked,
      context: {
        runs,
        warmup,
        decks,
        log: line => console.log(`[bench] ${line}`),
      },
      reportFile: join(repoRoot, 'BENCHMARKS.md'),
    })
    let missed = 0
    for (const { scenario, result } of results) {
      for (const b of result.budgets ?? []) {
        console.log(`${b.ok ? '✓' : '✗'} ${scenario.id}: ${b.name} ${b.value.toFixed(1)} ${b.unit} (limit ${b.limit})`)
        if (!b.ok)
          missed++
      }
    }
    console.log(`Wrote BENCHMARKS.md (${results.map(r => r.scenario.id).join(', ')}).`)
    return check && missed
      ? 1
      : 0
  },
}
export default bench
