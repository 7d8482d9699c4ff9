/**
 * Builds one deck as a static SPA with Slidev, at its own base path: the first stage of the
 * publishing pipeline (site/pipeline.ts), shared by `build` and `export`, so both see the same pages.
 * The builds run in worker processes (slidev-build-worker.ts) that load Slidev once per command,
 * not once per deck.
 */
import type { ChildProcess } from 'node:child_process'
import type { Deck } from './decks.ts'
import type { BuildReply, BuildRequest } from './slidev-build-worker.ts'
import { fork } from 'node:child_process'
import { join, relative } from 'node:path'
import process from 'node:process'
import { UserError } from './errors.ts'
import { trackChild } from './interrupt.ts'
import { withLock } from './lock.ts'
import { repoRoot } from './paths.ts'
import { compileCacheDir } from './site/stage-cache.ts'

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

interface Worker {
  child: ChildProcess
  busy: boolean
  /** The end of what the worker wrote to stderr: all there is when it dies mid-build. */
  stderr: string
  exited?: string
  /** Resident memory after its first build: what a build leaves behind in a fresh worker. */
  baseRss?: number
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

function startWorker(verbose: boolean): Worker {
  const child = trackChild(fork(join(import.meta.dirname, 'slidev-build-worker.ts'), [], {
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
    env: {
      NODE_COMPILE_CACHE: compileCacheDir(),
      // Rolldown's allocator (mimalloc) commits its arenas up front and keeps freed pages for a
      // while: the worker then held about 1 GB after each deck, growing deck by deck. Committing on
      // use and returning pages at once keep its peak near 0.8 GB, the same for every deck
      // (measured on the three public decks; BENCHMARKS.md), at no cost in build time.
      MIMALLOC_ARENA_EAGER_COMMIT: '0',
      MIMALLOC_PURGE_DELAY: '0',
      ...process.env,
    },
  }))
  const worker: Worker = { child, busy: false, stderr: '' }
  child.stderr?.on('data', (d: Buffer) => {
    if (verbose)
      process.stderr.write(d)
    worker.stderr = (worker.stderr + d.toString()).slice(-20_000)
  })
  child.on('exit', (code, signal) => {
    worker.exited = signal
      ? `signal ${signal}`
      : `exit code ${code}`
    const at = workers.indexOf(worker)
    if (at >= 0)
      workers.splice(at, 1)
  })
  // An idle worker does not keep the CLI alive; it exits when the CLI does (its IPC channel closes).
  child.unref()
  child.channel?.unref()
  workers.push(worker)
  return worker
}

async function acquire(verbose: boolean): Promise<Worker> {
  const free = workers.find(w => !w.busy && !w.exited)
  const worker = free
    ?? (workers.length < MAX_WORKERS
      ? startWorker(verbose)
      : await new Promise<Worker>(resolve => idle.push(resolve)))
  worker.busy = true
  // What it printed for earlier builds is theirs.
  worker.stderr = ''
  worker.child.channel?.ref()
  return worker
}

function release(worker: Worker): void {
  worker.busy = false
  worker.child.channel?.unref()
  const next = idle.shift()
  if (next && !worker.exited)
    next(worker)
  else if (next)
    void acquire(false).then(next)
}

function request(worker: Worker, message: BuildRequest): Promise<BuildReply> {
  return new Promise((resolve) => {
    const listeners = {
      message: (reply: BuildReply) => {
        if (reply.id === message.id)
          finish(reply)
      },
      exit: () => finish({
        id: message.id,
        ok: false,
        message: `the Slidev build process ended (${worker.exited})`,
        output: worker.stderr,
      }),
    }
    function finish(reply: BuildReply): void {
      worker.child.off('message', listeners.message)
      worker.child.off('exit', listeners.exit)
      resolve(reply)
    }
    worker.child.on('message', listeners.message)
    worker.child.on('exit', listeners.exit)
    worker.child.send(message)
  })
}

/** Takes a worker out of the pool at once (its exit arrives later, and a build started meanwhile must not pick it) and stops it. */
function retire(worker: Worker, why: string): void {
  worker.exited = why
  const at = workers.indexOf(worker)
  if (at >= 0)
    workers.splice(at, 1)
  worker.child.kill()
}

/** Stops the idle build workers (they also stop by themselves when the CLI exits). */
export function closeSlidevBuilds(): void {
  for (const w of workers.filter(w => !w.busy))
    retire(w, 'closed')
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
        env: {
          ...(options.site?.url
            ? { VITE_TALKS_SITE_URL: options.site.url }
            : {}),
          ...(options.site?.base
            ? { VITE_TALKS_SITE_BASE: options.site.base }
            : {}),
        },
      })
      return reply
    }
    finally {
      const rss = worker.exited
        ? undefined
        : reply?.rss
      if (rss !== undefined) {
        worker.baseRss ??= rss
        if (rss > worker.baseRss + retireGrowth)
          retire(worker, 'retired')
      }
      release(worker)
    }
  }, { waitMs: 15 * 60_000, what: `building deck ${deck.slug}` })
  if (!reply.ok)
    throw new SlidevBuildError(`slidev build failed for deck ${deck.slug} (${relative(repoRoot, deck.entry)}): ${reply.message}`, reply.output)
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
