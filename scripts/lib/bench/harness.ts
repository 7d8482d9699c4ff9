/**
 * Measuring helpers shared by the scenarios: repeated runs after a warm-up with the compared
 * commands alternated (so drift in machine load hits both alike), medians and spreads, ratios,
 * the machine's description, and the BENCHMARKS.md writer that keeps one section per scenario.
 */
import type { MachineInfo, Scenario, ScenarioResult, Stats } from './types.ts'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cpus, platform, release, totalmem } from 'node:os'

export function stats(values: number[]): Stats {
  if (!values.length)
    throw new Error('stats of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2
  return {
    values,
    median,
    min: sorted[0]!,
    max: sorted.at(-1)!,
  }
}

export interface Variant<T = void> {
  name: string
  /** One measured run; returns a value to keep (or nothing) and is timed by the harness. */
  run: (iteration: number) => Promise<T>
}

export interface Compared<T> {
  name: string
  ms: Stats
  results: T[]
}

/**
 * Runs `warmup` unmeasured rounds, then `runs` measured rounds; each round runs every variant once,
 * starting with a different one each round (A B, B A, ...).
 */
export async function compare<T>(variants: Variant<T>[], options: { runs: number, warmup: number, log?: (line: string) => void }): Promise<Compared<T>[]> {
  const times = variants.map(() => [] as number[])
  const results = variants.map(() => [] as T[])
  const total = options.warmup + options.runs
  for (let round = 0; round < total; round++) {
    const measured = round >= options.warmup
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length
      const v = variants[i]!
      const t0 = performance.now()
      const result = await v.run(round)
      const ms = performance.now() - t0
      options.log?.(`${measured ? 'run' : 'warm-up'} ${round + 1}/${total} ${v.name}: ${(ms / 1000).toFixed(2)} s`)
      if (measured) {
        times[i]!.push(ms)
        results[i]!.push(result)
      }
    }
  }
  return variants.map((v, i) => ({
    name: v.name,
    ms: stats(times[i]!),
    results: results[i]!,
  }))
}

export function ratio(a: number, b: number): string {
  if (!b)
    return 'n/a'
  return `${(a / b).toFixed(2)}x`
}

export function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

export function fmtKB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`
}

function chromiumVersion(): string | undefined {
  for (const bin of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (!existsSync(bin))
      continue
    try {
      return execFileSync(bin, ['--version'], {
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim()
    }
    catch {}
  }
  return undefined
}

export function machineInfo(): MachineInfo {
  const list = cpus()
  let os = `${platform()} ${release()}`
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]
    if (pretty)
      os = `${pretty} (${platform()} ${release()})`
  }
  catch {}
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3 * 10) / 10,
    node: process.version,
    os,
    chromium: chromiumVersion(),
  }
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}${m.chromium
    ? `, ${m.chromium}`
    : ''}`
}

/** Markdown table from a header row and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`
  return [
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
  ].join('\n')
}

const START = (id: string) => `<!-- bench:${id} -->`
const END = (id: string) => `<!-- /bench:${id} -->`

export const BENCH_INTRO = `# Benchmarks

Written by \`npm run bench\` (\`npm run bench -- <scenario>\` reruns one section and keeps the others).
Each scenario runs its compared commands several times after a warm-up, alternating them, and reports
medians with min-max. Numbers are for the machine named in each section; they are measurements, not tests.
`

/** Replaces (or appends) one scenario's section of BENCHMARKS.md, keeping every other section. */
export function updateReport(existing: string | undefined, scenario: Pick<Scenario, 'id' | 'title' | 'description'>, result: ScenarioResult, meta: { machine: MachineInfo, date: string, runs: number, warmup: number }): string {
  const body = [
    START(scenario.id),
    `## ${scenario.title}`,
    '',
    scenario.description,
    '',
    `Measured ${meta.date} on ${describeMachine(meta.machine)}; ${result.runs ?? `${meta.runs} measured runs after ${meta.warmup} warm-up`}.`,
    '',
    result.markdown.trim(),
    END(scenario.id),
  ].join('\n')
  const text = existing?.includes('# Benchmarks')
    ? existing
    : `${BENCH_INTRO}\n`
  const start = text.indexOf(START(scenario.id))
  const end = text.indexOf(END(scenario.id))
  if (start >= 0 && end > start)
    return `${text.slice(0, start)}${body}${text.slice(end + END(scenario.id).length)}`
  return `${text.trimEnd()}\n\n${body}\n`
}
