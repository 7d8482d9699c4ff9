#!/usr/bin/env node
/**
 * The toolkit's single entry: `npm run talks -- <command> [args]` or `npm run <command> -- [args]` (npm runs
 * it with the repo's own Node 24; `node scripts/cli.ts` directly needs Node 22.12 or later).
 * Each command lives in scripts/commands/<name>.ts and shares deck discovery from scripts/lib.
 */
import module from 'node:module'
import process from 'node:process'
import { describeError } from './lib/errors.ts'
import { exitCleanlyOnSignal } from './lib/interrupt.ts'
import { compileCacheDir } from './lib/site/stage-cache.ts'

export interface Command {
  summary: string
  usage: string
  run: (argv: string[]) => Promise<number | void>
  /** Ctrl+C is its normal way to stop (dev, preview): it handles SIGINT/SIGTERM itself. */
  ownsSignals?: boolean
}

/** Loaded lazily so a command's heavy imports (Playwright, Slidev) cost nothing to the others. */
const commands: Record<string, () => Promise<{ default: Command }>> = {
  dev: () => import('./commands/dev.ts'),
  rehearse: () => import('./commands/rehearse.ts'),
  pace: () => import('./commands/pace.ts'),
  new: () => import('./commands/new.ts'),
  list: () => import('./commands/list.ts'),
  build: () => import('./commands/build.ts'),
  preview: () => import('./commands/preview.ts'),
  export: () => import('./commands/export.ts'),
  transcript: () => import('./commands/transcript.ts'),
  check: () => import('./commands/check.ts'),
  bench: () => import('./commands/bench.ts'),
  server: () => import('./commands/server.ts'),
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log('Usage: npm run <command> -- [args]   (or npm run talks -- <command> [args])\n\nCommands:')
    for (const [key, load] of Object.entries(commands)) {
      const cmd = (await load()).default
      console.log(`  ${key.padEnd(11)} ${cmd.summary}\n  ${' '.repeat(11)} ${cmd.usage}`)
    }
    return name ? 0 : 1
  }
  const load = commands[name]
  if (!load) {
    console.error(`Unknown command "${name}". Known: ${Object.keys(commands).join(', ')}`)
    return 1
  }
  const verbose = rest.includes('--verbose') || rest.includes('-v')
  // From the start: a Ctrl+C while the command loads ends it the same way.
  const signals = exitCleanlyOnSignal(name)
  let code = 1
  try {
    const command = (await load()).default
    if (command.ownsSignals)
      signals.stop()
    code = (await command.run(rest)) ?? 0
    return code
  }
  catch (e) {
    // A UserError (file, field, what to do) or a fault from the machine (disk full, browser gone,
    // port taken...): one line, no stack trace unless --verbose. Anything else is a bug: its stack.
    const line = describeError(e)
    if (line === undefined)
      throw e
    console.error(`✖ ${line}`)
    if (verbose && e instanceof Error && e.stack)
      console.error(e.stack)
    return 1
  }
  finally {
    signals.finish(code)
  }
}

if (import.meta.main) {
  // The commands' imports (loaded lazily, after this) compile from V8's cache after the first run.
  module.enableCompileCache?.(compileCacheDir())
  process.exitCode = await main(process.argv.slice(2))
  // A failed command has said why; a handle something left open (a server, a dead browser's pipe)
  // must not keep it from exiting. The timer is unref'd: it fires only if the process would hang.
  if (process.exitCode !== 0)
    setTimeout(() => process.exit(), 3000).unref()
}
