/**
 * The build server (slidev-build.ts, `--listen` in slidev-build-worker.ts): one process serves the
 * builds of command after command, outliving each; a build failing in it still names the slide; it
 * ends when a command goes away in the middle of its build (Ctrl+C), after its idle time, and when
 * a server of a newer toolkit version starts. It keeps a print host (a browser and the code that
 * prints decks in it) for the commands that build in it, which a retiring server keeps until the
 * command printing there ends.
 */
import type { Printer } from './pdf/printer.ts'
import type { ServerHello } from './slidev-build-worker.ts'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findBrowser } from './browser.ts'
import { loadDeck } from './decks.ts'
import { pidAlive } from './lock.ts'
import { repoRoot } from './paths.ts'
import { connectPrinter } from './pdf/printer.ts'
import { startSiteServer } from './site/server.ts'
import { buildServerDir, buildServerSocket, closeSlidevBuilds, explainBuildFailure, keptPrinter, runningBuildServers, setWorkerRetireGrowth, slidevBuild, SlidevBuildError, stopBuildServers } from './slidev-build.ts'

const fixtures = join(repoRoot, 'scripts', 'fixtures')
const basic = loadDeck(join(fixtures, '_pdf-basic'), '_pdf-basic')
const other = loadDeck(join(fixtures, '_check-ok'), '_check-ok')
const broken = loadDeck(join(fixtures, '_check-missing-image'), '_check-missing-image')
// Short: a Unix socket's path has room for about 100 bytes.
const cache = mkdtempSync('/tmp/talks-bs-')
const out = join(cache, 'out')
const saved = { ...process.env }

function serverPid(): number | undefined {
  try {
    return Number(readFileSync(`${buildServerSocket()}.pid`, 'utf8'))
  }
  catch {
    return undefined
  }
}

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting until ${what}`)
    await new Promise(r => setTimeout(r, 50))
  }
}

/** A build in a process of its own, as the next command would run it. */
function buildInChild(outDir: string): Promise<number | null> {
  const script = `
    const { loadDeck } = await import('./scripts/lib/decks.ts')
    const { slidevBuild, closeSlidevBuilds } = await import('./scripts/lib/slidev-build.ts')
    await slidevBuild(loadDeck(${JSON.stringify(other.dir)}, '_check-ok'), { base: '/child/', outDir: ${JSON.stringify(outDir)}, withoutNotes: true })
    closeSlidevBuilds()`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, stdio: 'inherit', env: process.env })
  return new Promise(resolve => child.on('exit', resolve))
}

/** A build of the small deck into `out/<name>`, served under `/<name>/`, as a command would ask for it. */
function buildOther(name: string): Promise<void> {
  return slidevBuild(other, {
    base: `/${name}/`,
    outDir: join(out, name),
    withoutNotes: true,
  })
}

/** Prints the small deck built by buildOther(name) with `printer`: the PDF's first bytes and its page count. */
async function printIn(printer: Printer, name: string): Promise<{ head: string, pages: number }> {
  const server = await startSiteServer({ gzip: false })
  try {
    server.mount({
      root: join(out, name),
      base: `/${name}/`,
    })
    const printed = await printer.print({ origin: server.origin, base: `/${name}/` }, { slug: other.slug })
    return {
      head: Buffer.from(printed.pdf).subarray(0, 5).toString(),
      pages: printed.pages.length,
    }
  }
  finally {
    await server.close()
  }
}

/** The retire limit before this file: its tests keep one server unless they say otherwise. */
let retireGrowth = 0

beforeAll(() => {
  process.env.TALKS_BUILD_SERVER = '1'
  process.env.TALKS_CACHE_DIR = cache
  process.env.TALKS_BUILD_SERVER_IDLE_MS = '4000'
  // A server replaced for its memory between two tests would leave the next one no server to talk to.
  retireGrowth = setWorkerRetireGrowth(2 ** 40)
})

afterAll(async () => {
  setWorkerRetireGrowth(retireGrowth)
  closeSlidevBuilds()
  await stopBuildServers()
  process.env = saved
  rmSync(cache, { recursive: true, force: true })
})

describe('the build server', () => {
  it('serves the builds of one command after another and outlives them', async () => {
    await slidevBuild(basic, {
      base: '/a/',
      outDir: join(out, 'a'),
      withoutNotes: true,
    })
    const pid = serverPid()
    expect(pid).toBeGreaterThan(0)
    expect(pid).not.toBe(process.pid)
    closeSlidevBuilds()
    expect(await buildInChild(join(out, 'child'))).toBe(0)
    expect(readFileSync(join(out, 'child', 'index.html'), 'utf8')).toContain('/child/assets/')
    // The command is over; the server that built for it is the one that built for the first.
    expect(serverPid()).toBe(pid)
    expect(pidAlive(pid!)).toBe(true)
    expect(await runningBuildServers()).toEqual([
      {
        socket: buildServerSocket(),
        pid,
        current: true,
      },
    ])
    await slidevBuild(other, {
      base: '/b/',
      outDir: join(out, 'b'),
      withoutNotes: true,
    })
    expect(serverPid()).toBe(pid)
    expect(readFileSync(join(out, 'b', 'index.html'), 'utf8')).toContain('/b/assets/')
  }, 240_000)

  it('fails a broken deck\'s build naming the slide, as a worker of the command would', async () => {
    const failure = await slidevBuild(broken, {
      base: '/x/',
      outDir: join(out, 'x'),
    }).then(() => undefined, (e: unknown) => e)
    expect(failure).toBeInstanceOf(SlidevBuildError)
    expect(explainBuildFailure(broken, (failure as SlidevBuildError).output)).toMatch(/slide \d+:/)
    expect(existsSync(join(out, 'x', 'index.html'))).toBe(false)
  }, 120_000)

  it('ends when the command it builds for goes away mid-build (Ctrl+C), and the next build starts a new one', async () => {
    closeSlidevBuilds()
    const pid = serverPid()!
    const socket = connect(buildServerSocket())
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.once('data', (d) => {
        expect((JSON.parse(d.toString().split('\n')[0]!) as ServerHello).pid).toBe(pid)
        resolve()
      })
    })
    socket.write(`${JSON.stringify({
      id: 1,
      entry: basic.entry,
      base: '/i/',
      outDir: join(out, 'i'),
      withoutNotes: false,
      env: {},
      stubJapaneseFont: false,
      retireGrowth: 2 ** 40,
    })}\n`)
    await new Promise(r => setTimeout(r, 1500))
    socket.destroy()
    await until('the server ended', () => !pidAlive(pid))
    await slidevBuild(other, {
      base: '/n/',
      outDir: join(out, 'n'),
      withoutNotes: true,
    })
    expect(serverPid()).not.toBe(pid)
    expect(readFileSync(join(out, 'n', 'index.html'), 'utf8')).toContain('/n/assets/')
  }, 120_000)

  it('keeps a print host for the commands that build in it, the same one each time', async () => {
    const executable = await findBrowser({ print: true })
    await buildOther('k')
    const socket = await keptPrinter(executable)
    expect(socket).toBe(`${buildServerSocket()}.p1`)
    const printer = await connectPrinter(socket!)
    const printed = await printIn(printer, 'k')
    expect(printed.head).toBe('%PDF-')
    expect(printed.pages).toBeGreaterThan(0)
    await printer.close()
    expect(await keptPrinter(executable)).toBe(socket)
    // A command that has not built in the server launches its own.
    closeSlidevBuilds()
    expect(await keptPrinter(executable)).toBeUndefined()
  }, 120_000)

  it('retiring, waits for the command printing in its print host to end, then ends with it', async () => {
    const executable = await findBrowser({ print: true })
    await buildOther('r')
    const pid = serverPid()!
    const socket = (await keptPrinter(executable))!
    const printer = await connectPrinter(socket)
    // Every build now says the server grew too far.
    const previous = setWorkerRetireGrowth(-(2 ** 40))
    try {
      await buildOther('r2')
    }
    finally {
      setWorkerRetireGrowth(previous)
    }
    await new Promise(r => setTimeout(r, 1000))
    expect(pidAlive(pid)).toBe(true)
    expect((await printIn(printer, 'r2')).head).toBe('%PDF-')
    closeSlidevBuilds()
    await until('the retired server ended', () => !pidAlive(pid))
    // Its print host went with it: a print asked for now fails naming the deck, and its socket is gone.
    await until('its print host went with it', () => !existsSync(socket))
    await expect(printIn(printer, 'r2')).rejects.toThrow(`Browser has been closed while printing deck ${other.slug}`)
    // The next build starts a new server (for the tests after this one).
    await buildOther('r3')
    expect(serverPid()).not.toBe(pid)
  }, 180_000)

  it('ends after its idle time with no command connected, and removes its socket', async () => {
    const pid = serverPid()!
    closeSlidevBuilds()
    await until('the idle server ended', () => !pidAlive(pid), 20_000)
    expect(existsSync(buildServerSocket())).toBe(false)
  }, 30_000)

  it('stops a server of another toolkit version when a new one starts', async () => {
    const old = join(buildServerDir(), '0000000000000000.sock')
    const stale = spawn(process.execPath, [
      join(repoRoot, 'scripts/lib/slidev-build-worker.ts'),
      '--listen',
      old,
      '60000',
    ], { stdio: 'ignore' })
    await until('the old server listens', () => existsSync(`${old}.pid`))
    await slidevBuild(other, {
      base: '/v/',
      outDir: join(out, 'v'),
      withoutNotes: true,
    })
    await until('the old server ended', () => stale.exitCode !== null || stale.signalCode !== null)
    expect(existsSync(old)).toBe(false)
    expect(pidAlive(serverPid()!)).toBe(true)
  }, 120_000)
})
