/** Finds the scenarios (every module in scenarios/) and runs them into BENCHMARKS.md. */
import type { BenchContext, Scenario } from './types.ts'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stopBuildServers } from '../slidev-build.ts'
import { machineInfo, updateReport } from './harness.ts'

export { compare, fmtKB, fmtSeconds, ratio, stats, table } from './harness.ts'
export type { BenchContext, Scenario, ScenarioResult, Stats } from './types.ts'

const scenarioDir = fileURLToPath(new URL('./scenarios/', import.meta.url))

export async function loadScenarios(dir = scenarioDir): Promise<Scenario[]> {
  if (!existsSync(dir))
    return []
  const files = readdirSync(dir).filter(f => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()
  const out: Scenario[] = []
  for (const f of files) {
    const mod = await import(join(dir, f)) as { default?: Partial<Scenario> & { name?: string } }
    const s = mod.default
    // `name` is accepted for `id` so a scenario written before these types existed still runs.
    const id = s?.id ?? s?.name
    if (!s || !id || typeof s.run !== 'function') {
      console.warn(`skipping ${join(dir, f)}: its default export is not a bench Scenario ({ id, title, description, run })`)
      continue
    }
    out.push({
      id,
      title: s.title ?? id,
      description: s.description ?? '',
      run: s.run,
    })
  }
  return out
}

export interface RunBenchOptions {
  scenarios: Scenario[]
  context: Omit<BenchContext, 'tmpDir' | 'machine'>
  reportFile: string
}

export async function runBench(options: RunBenchOptions) {
  const machine = machineInfo()
  // A build server left by the user's own builds would count in every command's memory (process.ts).
  await stopBuildServers()
  const results = []
  for (const s of options.scenarios) {
    const tmpDir = await mkdtemp(join(tmpdir(), `bench-${s.id}-`))
    try {
      options.context.log(`== ${s.id}: ${s.title}`)
      const result = await s.run({ ...options.context, tmpDir, machine })
      const existing = await readFile(options.reportFile, 'utf8').catch(() => undefined)
      await writeFile(options.reportFile, updateReport(existing, s, result, {
        machine,
        date: new Date().toISOString().slice(0, 10),
        runs: options.context.runs,
        warmup: options.context.warmup,
      }))
      results.push({ scenario: s, result })
    }
    finally {
      await rm(tmpDir, { recursive: true, force: true })
    }
  }
  return results
}
