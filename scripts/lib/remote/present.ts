/**
 * Remote presenting: `npm run dev -- <deck> --remote <password>`. Slidev's dev server runs on
 * loopback at a port the OS picks; the gate (gate.ts) listens on the network at the user's port and
 * alone decides who reaches it. The audience's copy of the deck is built meanwhile (audience.ts),
 * and the presenter's position is streamed to it (nav-feed.ts).
 */
import type { AddressInfo } from 'node:net'
import type { Deck } from '../decks.ts'
import type { DevExposure } from './args.ts'
import type { AudienceSite } from './gate.ts'
import { createServer } from 'node:net'
import { networkInterfaces } from 'node:os'
import { relative } from 'node:path'
import { createInterface } from 'node:readline'
import { stripVTControlCharacters } from 'node:util'
import { UserError } from '../errors.ts'
import { repoRoot } from '../paths.ts'
import { spawnSlidev } from '../slidev.ts'
import { prepareAudience } from './audience.ts'
import { createGate } from './gate.ts'
import { NavFeed, parseNavModule } from './nav-feed.ts'

/** Slidev's loopback host: it listens on `localhost` unless given --remote. */
const SLIDEV_HOST = 'localhost'

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** Addresses other machines can use to reach a server listening on `bind`. */
export function lanAddresses(bind: string): string[] {
  if (bind !== '0.0.0.0' && bind !== '::')
    return [bind]
  return Object.values(networkInterfaces())
    .flat()
    .filter(i => i && !i.internal && (i.family === 'IPv4' || (bind === '::' && !i.address.startsWith('fe80'))))
    .map(i => i!.family === 'IPv6'
      ? `[${i!.address}]`
      : i!.address)
}

/** The console lines saying what is exposed where. */
export function exposureLines(addresses: string[], port: number, slidevPort: number): string[] {
  const lines = ['', `  Remote presenting on port ${port} (Slidev itself answers only on this machine, port ${slidevPort}):`]
  if (!addresses.length)
    lines.push('    no network address found: only this machine can connect')
  for (const a of addresses) {
    lines.push(`    audience (anyone, read-only, no notes)   http://${a}:${port}/`)
    lines.push(`    remote control (needs the password)      http://${a}:${port}/presenter/`)
  }
  lines.push(`    this machine (no password)               http://localhost:${port}/presenter/`)
  lines.push('')
  return lines
}

async function listen(server: ReturnType<typeof createGate>, port: number | undefined, bind: string): Promise<number> {
  const strict = port !== undefined
  const first = port ?? 3030
  for (let p = first; p < first + (strict ? 1 : 100); p++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(p, bind, () => {
          server.off('error', reject)
          resolve()
        })
      })
      return (server.address() as AddressInfo).port
    }
    catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE')
        throw e
    }
  }
  throw new UserError(strict
    ? `port ${first} is in use: choose another with --port`
    : `no free port from ${first} to ${first + 99}`)
}

async function waitForSlidev(port: number, child: { exitCode: number | null }): Promise<boolean> {
  while (child.exitCode === null) {
    try {
      const res = await fetch(`http://${SLIDEV_HOST}:${port}/`)
      if (res.ok)
        return true
    }
    catch {}
    await new Promise(r => setTimeout(r, 300))
  }
  return false
}

export async function presentRemote(deck: Deck, exposure: DevExposure & { password: string }): Promise<number> {
  const slidevPort = await freePort(SLIDEV_HOST)
  const audience: AudienceSite = {}
  const feed = new NavFeed({
    read: async () => {
      const res = await fetch(`http://${SLIDEV_HOST}:${slidevPort}/@server-reactive/nav`)
      return res.ok
        ? parseNavModule(await res.text())
        : undefined
    },
  })
  const gate = createGate({
    upstream: { host: SLIDEV_HOST, port: slidevPort },
    password: exposure.password,
    audience,
    feed,
  })
  const port = await listen(gate, exposure.port, exposure.bind)

  console.log(`▶ ${deck.meta.title} (${deck.slug}), remote presenting: building the audience view…`)
  const child = spawnSlidev([
    relative(repoRoot, deck.entry),
    ...exposure.slidevArgs,
    '--port',
    String(slidevPort),
  ], {
    // Slidev's banner is passed on without its "remote control: pass --remote to enable" line, which
    // is wrong here (the gate's lines below say what the network gets). Its keyboard shortcuts stay.
    stdio: ['inherit', 'pipe', 'inherit'],
    env: process.stdout.isTTY
      ? { FORCE_COLOR: '1' }
      : {},
  })
  createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (!/remote control\W.*pass --remote/.test(stripVTControlCharacters(line)))
      console.log(line)
  })
  feed.start()
  let cleanup: (() => Promise<void>) | undefined
  const built = prepareAudience(deck).then((a) => {
    Object.assign(audience, { dir: a.dir, indexHtml: a.indexHtml, title: a.title })
    cleanup = a.cleanup
    console.log(`  audience view ready (${a.reused
      ? 'unchanged deck, reused'
      : `built in ${(a.ms / 1000).toFixed(1)} s`})`)
  }, (e: Error) => {
    audience.error = e.message
    console.error(`  the audience view could not be built: ${e.message}`)
  })
  void waitForSlidev(slidevPort, child).then((up) => {
    if (up)
      console.log(exposureLines(lanAddresses(exposure.bind), port, slidevPort).join('\n'))
  })

  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  const code = await new Promise<number>(resolve => child.on('exit', code => resolve(code ?? 0)))
  feed.stop()
  gate.closeAllConnections()
  await new Promise(resolve => gate.close(resolve))
  await built
  await cleanup?.()
  return code
}
