/**
 * `npm run dev -- [deck] [slidev options]`: presents one deck with Slidev's dev server.
 * No deck: list the decks and ask (or, without a terminal, list them and stop).
 */
import type { Command } from '../cli.ts'
import type { Deck } from '../lib/decks.ts'
import { createServer } from 'node:net'
import { relative } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { splitArgs, takeOption } from '../lib/args.ts'
import { matchScanned, scanDecks } from '../lib/decks.ts'
import { UserError } from '../lib/errors.ts'
import { repoRoot } from '../lib/paths.ts'
import { devExposure } from '../lib/remote/args.ts'
import { presentRemote } from '../lib/remote/present.ts'
import { spawnSlidev } from '../lib/slidev.ts'
import { formatDeckLine } from './list.ts'

/** Slidev dev options that take a value (so the value is not read as a deck query). */
export const VALUED = [
  '--port',
  '-p',
  '--remote',
  '--bind',
  '--base',
  '--log',
  '--theme',
  '-t',
]

/**
 * An explicit --port that something else holds: say so in one line before Slidev starts (it would
 * print a stack trace). Listens on every interface for a moment, as Slidev's server will.
 */
export async function ensurePortFree(args: string[]): Promise<void> {
  const copy = [...args]
  const value = takeOption(copy, '--port').value ?? takeOption(copy, '-p').value
  const port = Number(value)
  if (value === undefined || !Number.isInteger(port) || port <= 0)
    return
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(port, () => probe.close(() => resolve()))
  })
}

async function pick(decks: Deck[]): Promise<Deck | undefined> {
  console.log('Decks:')
  decks.forEach((d, i) => console.log(formatDeckLine(d, i)))
  if (!process.stdin.isTTY) {
    console.log('\nRun: npm run dev -- <slug or unique prefix>')
    return undefined
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    const answer = (await rl.question('\nPresent which deck? (number or slug prefix) ')).trim()
    const n = Number(answer)
    if (Number.isInteger(n) && n >= 1 && n <= decks.length)
      return decks[n - 1]
    return answer
      ? matchScanned({
          decks,
          invalid: new Map(),
        }, answer)
      : undefined
  }
  finally {
    rl.close()
  }
}

const dev: Command = {
  ownsSignals: true,
  summary: 'Present a deck live: Slidev dev server with presenter view at /presenter.',
  usage: 'dev [deck] [--port N] [--open] [--remote <password>] [other slidev options]',
  async run(argv) {
    const { positionals, rest } = splitArgs(argv, VALUED)
    if (positionals.length > 1)
      throw new UserError(`dev presents one deck at a time; got ${positionals.join(', ')}`)
    const scan = scanDecks({ hidden: true })
    const publicDecks = scan.decks.filter(d => !d.hidden)
    if (!positionals[0] && !scan.decks.length)
      throw new UserError('No decks yet: create one with npm run new -- <slug>')
    const deck = positionals[0]
      ? matchScanned(scan, positionals[0])
      : await pick(publicDecks.length ? publicDecks : scan.decks)
    if (!deck)
      return positionals[0] ? 1 : 0
    const exposure = devExposure(rest)
    // Remote mode: Slidev stays on loopback behind a gate that enforces the password (scripts/lib/remote/).
    if (exposure.password !== undefined)
      return await presentRemote(deck, { ...exposure, password: exposure.password })
    const slidevArgs = [
      relative(repoRoot, deck.entry),
      ...exposure.slidevArgs,
    ]
    await ensurePortFree(rest)
    console.log(`▶ ${deck.meta.title} (${deck.slug})\n  presenter view: /presenter`)
    const child = spawnSlidev(slidevArgs)
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    return await new Promise<number>(resolve => child.on('exit', code => resolve(code ?? 0)))
  },
}
export default dev
