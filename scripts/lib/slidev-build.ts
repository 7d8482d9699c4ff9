/**
 * Builds one deck as a static SPA with Slidev, at its own base path: the first stage of the
 * publishing pipeline (site/pipeline.ts), shared by `build` and `export`, so both see the same pages.
 * The builds run in worker processes (slidev-build-worker.ts) that load Slidev once per command,
 * not once per deck.
 */
import type { Socket } from 'node:net'
import type { Deck } from './decks.ts'
import type { BuildReply, ServerHello, ServerRequest } from './slidev-build-worker.ts'
import { fork, spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { join, relative } from 'node:path'
import process from 'node:process'
import { UserError } from './errors.ts'
import { trackChild, trackKill } from './interrupt.ts'
import { onJsonLines, writeJsonLine } from './json-lines.ts'
import { pidAlive, withLock } from './lock.ts'
import { repoRoot } from './paths.ts'
import { hashInputs } from './site/hash.ts'
import { compileCacheDir, defaultCacheRoot } from './site/stage-cache.ts'

export interface SlidevBuildOptions {
  /** URL path the deck is served under, with leading and trailing slash, e.g. /talks/2024-09-20-x/ */
  base: string
  /** Absolute output directory. */
  outDir: string
  /** Leave the speaker notes out of the build (the site's and the audience's builds). */
  withoutNotes?: boolean
  /**
   * The deck's BIZ UDPGothic faces are replaced by subsets right after the build (the publishing
   * pipeline): build with one file per weight instead of @fontsource's slices. Leave it off for a
   * build served as it is.
   */
  fontsCutAfter?: boolean
  /** Slidev's output as it comes (--verbose); otherwise it is kept, and shown only on failure. */
  verbose?: boolean
  /**
   * The hosted site's absolute origin and base path, passed to the client as VITE_TALKS_SITE_URL /
   * VITE_TALKS_SITE_BASE (the browser cannot read toolkit.config.ts's environment): closing slides
   * then show the public URL and its QR code.
   */
  site?: { url?: string, base?: string }
}

/** A failed `slidev build`; `output` holds what Slidev printed during it. */
export class SlidevBuildError extends UserError {
  readonly output: string
  constructor(message: string, output: string) {
    super(message)
    this.output = output
  }
}

/**
 * A process that builds decks: a worker of this command (forked, talking over IPC) or the build
 * server that outlives commands (talking over a Unix socket). Both answer BuildRequests alike.
 */
interface Worker {
  send: (request: ServerRequest) => void
  /** Keeps this command alive while a request is in flight (`true`), or lets it end (`false`): counted. */
  hold: (on: boolean) => void
  /** Stops it at once (Ctrl+C in the middle of its build). */
  kill: () => void
  /** Lets it go: a worker of this command ends; the server stays for the next command. */
  close: () => void
  /** What it printed last: all there is when it dies mid-build. */
  tail: () => string
  /** It shows Slidev's output as it comes (--verbose, a worker of this command); a server's comes with its reply. */
  live: boolean
  events: EventEmitter<{ reply: [BuildReply], exit: [] }>
  busy: boolean
  exited?: string
  /** This command prints in the print host the server keeps (keptPrinter): the connection stays until the command ends. */
  lent?: boolean
}

const workers: Worker[] = []
const idle: ((w: Worker) => void)[] = []
/**
 * Decks that build at once, each in its own worker. One: a build is mostly single-threaded
 * JavaScript, and the render pass of the deck before it keeps the other core busy. Measured on 2
 * cores (3 decks cold, 3 alternating runs): one worker 24.9-28.0 s, two 25.1-33.3 s, with more CPU
 * time and no less memory.
 */
const MAX_WORKERS = 1
/**
 * A worker whose memory after a build has grown this far past its first build's is replaced:
 * Slidev and Vite keep a little of every deck (about 15 MB a deck, measured), which over 30 decks
 * took the worker from 0.8 to 1.4 GB. Replacing it costs one load of Slidev (about 2 s) every few
 * decks and keeps the peak flat however many decks a build has.
 */
let retireGrowth = 96 * 2 ** 20

/** Sets how far a worker's memory may grow past its first build's before it is replaced (tests); returns the previous limit. */
export function setWorkerRetireGrowth(bytes: number): number {
  const previous = retireGrowth
  retireGrowth = bytes
  return previous
}
let nextId = 0

const workerFile = join(import.meta.dirname, 'slidev-build-worker.ts')

function workerEnv(): NodeJS.ProcessEnv {
  return {
    NODE_COMPILE_CACHE: compileCacheDir(),
    // Rolldown's allocator (mimalloc) commits its arenas up front and keeps freed pages for a
    // while: the worker then held about 1 GB after each deck, growing deck by deck. Committing on
    // use and returning pages at once keep its peak near 0.8 GB, the same for every deck
    // (measured on the three public decks; BENCHMARKS.md), at no cost in build time.
    MIMALLOC_ARENA_EAGER_COMMIT: '0',
    MIMALLOC_PURGE_DELAY: '0',
    ...process.env,
  }
}

function forkWorker(verbose: boolean): Worker {
  const child = trackChild(fork(workerFile, [], {
    cwd: process.cwd(),
    execPath: process.execPath,
    execArgv: ['--expose-gc'],
    stdio: [
      'ignore',
      verbose
        ? 'inherit'
        : 'ignore',
      'pipe',
      'ipc',
    ],
    env: workerEnv(),
  }))
  let stderr = ''
  const worker: Worker = {
    send: request => child.send(request),
    hold: on => on
      ? child.channel?.ref()
      : child.channel?.unref(),
    kill: () => child.kill('SIGKILL'),
    close: () => child.kill(),
    tail: () => stderr,
    live: verbose,
    events: new EventEmitter(),
    busy: false,
  }
  child.stderr?.on('data', (d: Buffer) => {
    if (verbose)
      process.stderr.write(d)
    stderr = (stderr + d.toString()).slice(-20_000)
  })
  child.on('message', (reply: BuildReply) => worker.events.emit('reply', reply))
  child.on('exit', (code, signal) => {
    worker.exited = signal
      ? `signal ${signal}`
      : `exit code ${code}`
    leavePool(worker)
    worker.events.emit('exit')
  })
  // An idle worker does not keep the CLI alive; it exits when the CLI does (its IPC channel closes).
  child.unref()
  child.channel?.unref()
  return worker
}

/**
 * The build server (TALKS_BUILD_SERVER, on by default outside CI): the worker process kept
 * running between commands, so an edit's build finds Slidev and Vite loaded and their code
 * compiled (about 3 s of a 10 s build, measured on ssmjp). One per cache folder and toolkit
 * version, at `<cache>/build-server/<key>.sock`: the key hashes the code it loads once (the
 * toolkit's scripts, setup/, the configs, the lockfile, Node), so an edit there starts a new one
 * and stops the old. It ends by itself after TALKS_BUILD_SERVER_IDLE_MS (default 10 minutes)
 * with no command connected.
 */
export function buildServerWanted(): boolean {
  const set = process.env.TALKS_BUILD_SERVER
  if (set !== undefined && set !== '')
    return !/^(?:0|off|false|no)$/i.test(set)
  return !process.env.CI
}

export function buildServerDir(): string {
  return join(defaultCacheRoot(), 'build-server')
}

let serverKeyMemo: string | undefined
function serverKey(): string {
  serverKeyMemo ??= hashInputs({
    paths: [
      'scripts/lib',
      'setup',
      'package-lock.json',
      'toolkit.config.ts',
      'uno.config.ts',
      'vite.config.ts',
    ].map(p => join(repoRoot, p)),
    extra: { node: process.version, execPath: process.execPath },
  }).slice(0, 16)
  return serverKeyMemo
}

/** Connects to the server at `path` and reads its greeting; undefined if no server answers there. */
function tryConnect(path: string): Promise<{ socket: Socket, pid: number, rest: string } | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path)
    let buffer = ''
    const fail = () => {
      socket.destroy()
      resolve(undefined)
    }
    socket.setEncoding('utf8')
    socket.once('error', fail)
    socket.once('close', fail)
    socket.on('data', function greet(chunk: string) {
      buffer += chunk
      const nl = buffer.indexOf('\n')
      if (nl < 0)
        return
      socket.off('data', greet)
      socket.off('error', fail)
      socket.off('close', fail)
      const hello = JSON.parse(buffer.slice(0, nl)) as ServerHello
      resolve({
        socket,
        pid: hello.pid,
        rest: buffer.slice(nl + 1),
      })
    })
  })
}

/** The build servers in `dir`, by socket (`<key>.sock`), with the files beside them. */
function serverSockets(dir: string): string[] {
  try {
    return [
      ...new Set(readdirSync(dir).filter(n => /\.sock(?:\.pid|\.log)?$/.test(n)).map(n => join(dir, n.replace(/\.(?:pid|log)$/, '')))),
    ]
  }
  catch {
    return []
  }
}

export interface RunningServer {
  socket: string
  pid: number
  /** It runs this version of the toolkit (the next build uses it). */
  current: boolean
}

/** The build servers answering in `dir`: each known by the pid it greets with on its socket. */
export async function runningBuildServers(dir = buildServerDir()): Promise<RunningServer[]> {
  const found: RunningServer[] = []
  for (const socket of serverSockets(dir)) {
    const up = await tryConnect(socket)
    if (!up)
      continue
    up.socket.destroy()
    found.push({ socket, pid: up.pid, current: socket === join(dir, `${serverKey()}.sock`) })
  }
  return found
}

/**
 * Stops the build servers in `dir` (every one, or those of other toolkit versions than `keep`)
 * and removes their files. A server is known by the pid it greets with on its socket, never by a
 * pid file alone (a pid left by a dead server may belong to another process by now).
 */
export async function stopBuildServers(dir = buildServerDir(), keep?: string): Promise<number[]> {
  const kept = keep && join(dir, `${keep}.sock`)
  const running = await runningBuildServers(dir)
  const stopped: number[] = []
  for (const server of running.filter(r => r.socket !== kept)) {
    try {
      process.kill(server.pid, 'SIGTERM')
      stopped.push(server.pid)
    }
    catch {}
  }
  // Gone before this returns: a server still exiting writes Node's compile cache into the cache folder,
  // which a caller may be about to remove.
  const deadline = Date.now() + 10_000
  while (stopped.some(pidAlive) && Date.now() < deadline)
    await new Promise(r => setTimeout(r, 25))
  for (const pid of stopped.filter(pidAlive)) {
    try {
      process.kill(pid, 'SIGKILL')
    }
    catch {}
  }
  for (const socket of serverSockets(dir).filter(s => s !== kept)) {
    for (const file of [socket, `${socket}.pid`, `${socket}.log`])
      rmSync(file, { force: true })
  }
  return stopped
}

async function startServer(dir: string, path: string): Promise<{ socket: Socket, pid: number, rest: string }> {
  return withLock(join(dir, 'start.lock'), async () => {
    const there = await tryConnect(path)
    if (there)
      return there
    await stopBuildServers(dir, serverKey())
    rmSync(path, { force: true })
    const log = `${path}.log`
    const child = spawn(process.execPath, [
      '--expose-gc',
      workerFile,
      '--listen',
      path,
      String(Number(process.env.TALKS_BUILD_SERVER_IDLE_MS) || 600_000),
    ], {
      cwd: repoRoot,
      detached: true,
      stdio: [
        'ignore',
        openSync(log, 'w'),
        openSync(log, 'a'),
      ],
      env: workerEnv(),
    })
    let exited: string | undefined
    child.on('exit', (code, signal) => exited = signal ?? `exit code ${code}`)
    child.unref()
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 40))
      const up = await tryConnect(path)
      if (up)
        return up
      if (exited)
        break
    }
    child.kill()
    throw new UserError(`the build server did not start (${exited ?? 'no answer in 60 s'}); TALKS_BUILD_SERVER=0 builds without it. Its log, ${relative(process.cwd(), log)}:\n${readFileSync(log, 'utf8').slice(-4000)}`)
  }, { waitMs: 2 * 60_000, what: 'starting the build server' })
}

/** Where this toolkit version's build server listens (in the cache folder of TALKS_CACHE_DIR, or .cache/). */
export function buildServerSocket(): string {
  return join(buildServerDir(), `${serverKey()}.sock`)
}

async function connectServer(): Promise<Worker | undefined> {
  const dir = buildServerDir()
  const path = buildServerSocket()
  // A Unix socket's path has room for about 100 bytes: a deeper cache folder builds without a server.
  if (Buffer.byteLength(path) > 100)
    return undefined
  mkdirSync(dir, { recursive: true })
  const { socket, pid, rest } = await tryConnect(path) ?? await startServer(dir, path)
  /** Builds in flight: Ctrl+C during one stops the server at once, before the command removes what it was writing. */
  const building = new Map<number, () => void>()
  /** Requests in flight (a build, and the browser asked for meanwhile): the socket keeps the command alive while any is. */
  let held = 0
  const worker: Worker = {
    send: (request) => {
      if (!('kind' in request))
        building.set(request.id, trackKill(() => process.kill(pid, 'SIGKILL')))
      writeJsonLine(socket, request)
    },
    hold: (on) => {
      held += on
        ? 1
        : -1
      if (held > 0)
        socket.ref()
      else
        socket.unref()
    },
    kill: () => process.kill(pid, 'SIGKILL'),
    close: () => socket.end(),
    tail: () => {
      try {
        return readFileSync(`${path}.log`, 'utf8').slice(-20_000)
      }
      catch {
        return ''
      }
    },
    live: false,
    events: new EventEmitter(),
    busy: false,
  }
  onJsonLines<BuildReply>(socket, (reply) => {
    building.get(reply.id)?.()
    building.delete(reply.id)
    worker.events.emit('reply', reply)
  }, rest)
  socket.on('error', () => {})
  socket.on('close', () => {
    building.forEach(untrack => untrack())
    worker.exited ??= 'the build server ended'
    leavePool(worker)
    worker.events.emit('exit')
  })
  socket.unref()
  return worker
}

function leavePool(worker: Worker): void {
  const at = workers.indexOf(worker)
  if (at >= 0)
    workers.splice(at, 1)
}

/** This command's connection to the build server. */
let server: Promise<Worker | undefined> | undefined
let connected: Worker | undefined

function serverConnection(): Promise<Worker | undefined> {
  server ??= buildServerWanted()
    ? connectServer().then((worker) => {
        connected = worker
        worker?.events.once('exit', () => forgetServer(worker))
        return worker
      }, (e: unknown) => {
        server = undefined
        throw e
      })
    : Promise.resolve(undefined)
  return server
}

/** The connection ended or is ending: the next build connects again. */
function forgetServer(worker: Worker): void {
  if (worker !== connected)
    return
  connected = undefined
  server = undefined
}

async function startWorker(verbose: boolean): Promise<Worker> {
  const worker = await serverConnection() ?? forkWorker(verbose)
  workers.push(worker)
  return worker
}

/** Workers being started (connecting to the server takes a moment): they count against MAX_WORKERS. */
let starting = 0

async function acquire(verbose: boolean): Promise<Worker> {
  let worker = workers.find(w => !w.busy && !w.exited)
  if (!worker && workers.length + starting < MAX_WORKERS) {
    starting++
    try {
      worker = await startWorker(verbose)
    }
    finally {
      starting--
    }
  }
  worker ??= await new Promise<Worker>(resolve => idle.push(resolve))
  worker.busy = true
  worker.hold(true)
  return worker
}

function release(worker: Worker): void {
  worker.busy = false
  worker.hold(false)
  const next = idle.shift()
  if (next && !worker.exited)
    next(worker)
  else if (next)
    void acquire(false).then(next)
}

function request(worker: Worker, message: ServerRequest): Promise<BuildReply> {
  return new Promise((resolve) => {
    const listeners = {
      reply: (reply: BuildReply) => {
        if (reply.id === message.id)
          finish(reply)
      },
      exit: () => finish({
        id: message.id,
        ok: false,
        message: `the Slidev build process ended (${worker.exited})`,
        output: worker.tail(),
      }),
    }
    function finish(reply: BuildReply): void {
      worker.events.off('reply', listeners.reply)
      worker.events.off('exit', listeners.exit)
      resolve(reply)
    }
    worker.events.on('reply', listeners.reply)
    worker.events.on('exit', listeners.exit)
    worker.send(message)
  })
}

/** Takes a worker out of the pool at once (its exit arrives later, and a build started meanwhile must not pick it) and lets it go. */
/** Retired server connections whose browser this command still prints in: closed when it ends. */
const lingering: Worker[] = []

function retire(worker: Worker, why: string): void {
  worker.exited = why
  leavePool(worker)
  // A server that grew too far waits for this connection to close before it ends (and takes its
  // browser with it): not while this command may still be printing in that browser.
  if (worker.lent && why === 'retired')
    lingering.push(worker)
  else
    worker.close()
  if (worker === connected)
    forgetServer(worker)
}

/** Lets the idle build workers go (a worker of this command ends; the build server stays for the next). */
export function closeSlidevBuilds(): void {
  for (const w of workers.filter(w => !w.busy))
    retire(w, 'closed')
  for (const w of lingering.splice(0))
    w.close()
}

export async function slidevBuild(deck: Deck, options: SlidevBuildOptions): Promise<void> {
  if (!options.base.startsWith('/') || !options.base.endsWith('/'))
    throw new Error(`base must start and end with "/": ${options.base}`)
  // Slidev writes generated modules into the deck's node_modules/.slidev (truncating and rewriting
  // them): two builds of one deck at once could read each other's half-written file.
  const lock = join(deck.dir, 'node_modules', '.slidev', '.toolkit-build.lock')
  const reply = await withLock(lock, async () => {
    const worker = await acquire(Boolean(options.verbose))
    let reply: BuildReply | undefined
    try {
      reply = await request(worker, {
        id: ++nextId,
        entry: deck.entry,
        base: options.base,
        outDir: options.outDir,
        withoutNotes: Boolean(options.withoutNotes),
        stubJapaneseFont: Boolean(options.fontsCutAfter),
        retireGrowth,
        env: {
          ...(options.site?.url
            ? { VITE_TALKS_SITE_URL: options.site.url }
            : {}),
          ...(options.site?.base
            ? { VITE_TALKS_SITE_BASE: options.site.base }
            : {}),
        },
      })
      if (options.verbose && !worker.live)
        process.stdout.write(reply.output)
      return reply
    }
    finally {
      // A server that grew too far ends by itself after this reply; a worker of this command is stopped.
      if (reply?.retiring && !worker.exited)
        retire(worker, 'retired')
      release(worker)
    }
  }, { waitMs: 15 * 60_000, what: `building deck ${deck.slug}` })
  if (!reply.ok)
    throw new SlidevBuildError(`slidev build failed for deck ${deck.slug} (${relative(repoRoot, deck.entry)}): ${reply.message}`, reply.output)
}

/**
 * The socket of the print host the build server keeps for printing with `executablePath`
 * (PrinterRequest, pdf/printer.ts's connectPrinter): when this command has built in a build server.
 * Printing there skips loading Playwright and starting a browser on every edited deck's render.
 * Undefined otherwise (launch one), and when the server could not start it (its error is the
 * launch's to say).
 */
export async function keptPrinter(executablePath: string): Promise<string | undefined> {
  const worker = connected
  if (!worker || worker.exited)
    return undefined
  worker.hold(true)
  try {
    const reply = await request(worker, { id: ++nextId, kind: 'printer', executablePath })
    if (!reply.ok)
      return undefined
    worker.lent = true
    return reply.endpoint
  }
  finally {
    worker.hold(false)
  }
}

/**
 * Slidev compiles slide N to `slides.md__slidev_N.md`: a build error naming that module names
 * the slide. A missing image written as a static path (`<img src="/x.png">`, `![](./x.png)`)
 * fails here, as an unresolved import, before anything is rendered.
 */
export function explainBuildFailure(deck: Deck, output: string): string {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\u001B\[[\d;]*m/g, '')
  const slides = [
    ...new Set([
      ...text.matchAll(/slides\.md__slidev_(\d+)\.md/g),
    ].map(m => Number(m[1]))),
  ]
  const lines = text.split('\n')
  const coded = text.match(/\[[A-Z_]+\]\s*(.+)/)?.[1]
  const cause = coded ?? lines.map(l => l.trim()).find(l => /error/i.test(l))
  const where = slides.length
    ? `slide ${slides.join(', ')}`
    : 'slide unknown'
  const stack = lines.findIndex(l => /^\s+at /.test(l))
  const tail = lines.slice(0, stack < 0
    ? undefined
    : stack).slice(-20).join('\n').trim()
  return `deck ${deck.slug}: slidev build failed, nothing written\n  ${where}: ${cause ?? 'see the build output below'}\n${tail}`
}
