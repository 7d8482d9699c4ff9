/**
 * The benchmark harness's contract: a scenario is a module in scripts/lib/bench/scenarios/ whose
 * default export is a `Scenario`. It measures with the helpers in harness.ts and returns a
 * Markdown section; `npm run bench` puts every section into BENCHMARKS.md.
 */
import type { Deck } from '../decks.ts'

export interface MachineInfo {
  cpu: string
  cores: number
  memoryGiB: number
  node: string
  os: string
  chromium?: string
}

export interface BenchContext {
  /** Measured repetitions per compared command (after `warmup` unmeasured ones). */
  runs: number
  warmup: number
  /** Public decks (or the starter deck when none is public yet). */
  decks: Deck[]
  /** A scratch directory of this run, removed afterwards. */
  tmpDir: string
  machine: MachineInfo
  log: (line: string) => void
}

export interface Stats {
  values: number[]
  median: number
  min: number
  max: number
}

export interface ScenarioResult {
  /** Markdown body of the scenario's section in BENCHMARKS.md (without its heading). */
  markdown: string
  /** Budgets checked by the scenario: printed by `npm run bench`, which exits non-zero on a miss when asked. */
  budgets?: { name: string, value: number, limit: number, unit: string, ok: boolean }[]
  /** How the scenario ran, when not the harness's measured runs after a warm-up (e.g. one run per N). */
  runs?: string
}

export interface Scenario {
  /** File-name-like id, used as `npm run bench -- <id>` and as the section marker. */
  id: string
  title: string
  /** One paragraph: what is compared and how. */
  description: string
  run: (ctx: BenchContext) => Promise<ScenarioResult>
  /** Runs only when named (`npm run bench -- scale`): too long for every `npm run bench`. */
  onlyWhenNamed?: boolean
}
