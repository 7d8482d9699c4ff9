/**
 * The Slidev build worker: a child process that loads Slidev, Vite and their plugins once and then
 * builds deck after deck on request (slidev-build.ts starts it and sends it the decks). A separate
 * `slidev build` per deck paid about a second and a half of Node loading those modules every
 * time; a child rather than the CLI's own process, so Ctrl+C can stop a build at once (SIGKILL)
 * before its half-written output is removed, and so its memory is returned when it ends.
 *
 * It does what `slidev build` does for the site (Slidev's CLI keeps that function to itself): the
 * same Vite configuration (Slidev's plugins, any vite.config in the theme, addons or deck, the
 * index page), built into `outDir`. Slidev's extras after the build are left out on purpose: the
 * pipeline writes the site's own 404 page and redirects, social card and PDF.
 *
 * Requests arrive one at a time over IPC (a worker of one command), or over a Unix socket when it
 * runs as the build server (`--listen <socket>`, see slidev-build.ts): then it outlives the command
 * that started it, so the next command finds Slidev loaded and compiled, and it ends by itself
 * after an idle while, when a command is interrupted in the middle of its build, or when its
 * memory grew too far. Whatever Slidev and Vite print is kept for the build in flight and sent
 * back with its reply. As the build server it also keeps a print host (print-host.ts: a headless
 * Chromium and the code that prints decks in it) for the render passes of the commands that build
 * in it (PrinterRequest), and ends it when it ends.
 */
import type { Socket } from 'node:net'
import type { InlineConfig, Plugin } from 'vite'
import type { PrintHostMessage } from './print-host.ts'
import type { Generator } from './unocss-tokens.ts'
import { fork } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { onJsonLines, writeJsonLine } from './json-lines.ts'
import { hashInputs } from './site/hash.ts'
import { shareTokens } from './unocss-tokens.ts'

export interface BuildRequest {
  id: number
  /** Absolute path of the deck's slides.md. */
  entry: string
  base: string
  outDir: string
  withoutNotes: boolean
  /** VITE_* variables for this build only (the site's URL and base path). */
  env: Record<string, string>
  /** Build with one BIZ UDPGothic file per weight instead of @fontsource's ~120 slices (see fontStub). */
  stubJapaneseFont: boolean
  /**
   * How far this process's memory after a build may grow past its first build's before it is
   * replaced (bytes): Slidev and Vite keep a little of every deck.
   */
  retireGrowth: number
}

/**
 * Asks the build server for the print host it keeps (a headless Chromium with the code that prints
 * decks in it, started on the first ask, one per executable), so a command prints there instead of
 * loading Playwright and starting a browser (about 0.7 s of an edited deck's render). Its reply's
 * `endpoint` is the print host's Unix socket (pdf/printer.ts).
 */
export interface PrinterRequest { id: number, kind: 'printer', executablePath: string }

/** What a build server answers: builds and print hosts. */
export type ServerRequest = BuildRequest | PrinterRequest

/**
 * `output`: what Slidev and Vite printed during this build; `rss`: this process's resident memory
 * after it; `retiring`: it grew too far and ends now (a server exits by itself after this reply,
 * and once no command is connected when it keeps a print host); `endpoint`: a PrinterRequest's answer.
 */
export interface BuildReply { id: number, ok: boolean, message?: string, output: string, rss?: number, retiring?: boolean, endpoint?: string }

/**
 * The pipeline replaces the deck's BIZ UDPGothic faces with subsets cut to the deck right after the
 * build (font-subset.ts), so the ~480 slice files @fontsource's CSS names (12 MB to hash, copy and
 * delete again) are never needed: each weight's CSS becomes one face naming one slice, which the
 * subset step removes along with the rule.
 */
function fontStub(): Plugin {
  const css = /@fontsource\/biz-udpgothic\/(\d+)\.css$/
  return {
    name: 'talks:font-stub',
    enforce: 'pre',
    transform(code, id) {
      const weight = css.exec(id.split('?')[0]!.replaceAll('\\', '/'))?.[1]
      if (!weight)
        return null
      return `@font-face{font-family:'BIZ UDPGothic';font-style:normal;font-display:swap;font-weight:${weight};`
        + `src:url(./files/biz-udpgothic-latin-${weight}-normal.woff2) format('woff2')}`
    },
  }
}

const loaded = Promise.all([import('@slidev/cli'), import('vite'), import('@slidev/parser/fs')]).then((mods) => {
  // As Slidev's CLI does before it reads a deck: each root's setup/preparser.ts may rewrite slides
  // (the shared theme's defaults, setup/preparser.ts, come in this way).
  mods[2].injectPreparserExtensionLoader(async (roots, headmatter, filepath, mode) => {
    const setups = await Promise.all(roots.map(async (root) => {
      const file = join(root, 'setup', 'preparser.ts')
      if (!existsSync(file))
        return []
      // By modification time: a build server outlives edits to a deck's own preparser.
      const mod = await import(`${pathToFileURL(file).href}?t=${statSync(file).mtimeMs}`) as { default: (...args: unknown[]) => unknown }
      return mod.default({ filepath, headmatter, mode })
    }))
    return setups.flat() as never
  })
  return mods
})

interface SlidevOptions {
  roots: string[]
  clientRoot: string
  data: { config: { fonts: unknown } }
  utils: { iconsResolvePath?: unknown }
}

/**
 * What Slidev's UnoCSS configuration is made of (its setups/unocss.ts): the client's config, each
 * root's uno.config / unocss.config and setup/, the deck's fonts, the icon paths, and the
 * `slidev.unocss` options of a vite.config. Undefined when those options cannot be compared.
 */
function unoConfigKey(options: SlidevOptions, unocss: object | undefined): string | undefined {
  if (unocss !== undefined)
    return undefined
  return hashInputs({
    paths: [options.clientRoot, ...options.roots].flatMap(root => [
      'uno.config.ts',
      'unocss.config.ts',
      'setup',
    ].map(p => join(root, p))),
    extra: {
      roots: [options.clientRoot, ...options.roots].join('\n'),
      fonts: JSON.stringify(options.data.config.fonts),
      icons: JSON.stringify(options.utils.iconsResolvePath),
    },
  })
}

/**
 * Lets this build's UnoCSS generator take the tokens earlier builds with the same configuration
 * parsed (unocss-tokens.ts). Its CSS pass fell from ~0.5 s to ~0.02 s; a warm build of ssmjp from
 * 3.2-3.6 s to 2.9-3.1 s (3 alternating runs of 4 builds), the same bytes out (263 assets of the
 * three decks compared).
 */
async function shareUnoTokens(plugins: unknown, key: string | undefined): Promise<void> {
  if (!key)
    return
  const api = [plugins].flat(Infinity as 1).find((p): p is { api: { getContext: () => { ready: Promise<unknown>, uno: Generator } } } =>
    (p as { name?: string } | null)?.name === 'unocss:api')
  if (!api)
    return
  const context = api.api.getContext()
  await context.ready
  shareTokens(context.uno, key)
}

/**
 * Slidev finds a deck's roots (`userRoot`: its folder, where its style.css, setup/, layouts/,
 * components/ and public/ are looked for) once per process and keeps them (getRoots in its resolver
 * module). In a worker that builds deck after deck, every deck after the first got the first deck's
 * folder: its style.css, not its own. Before each build the kept roots are set to this deck's, as a
 * fresh copy of the resolver module (its own cache empty) finds them.
 */
function findResolver() {
  return (async () => {
    const dist = dirname(fileURLToPath(import.meta.resolve('@slidev/cli')))
    const file = readdirSync(dist).find(f => /^resolver-[\w-]+\.mjs$/.test(f))
    const url = file && pathToFileURL(join(dist, file)).href
    const find = (mod: Record<string, unknown>) => Object.values(mod).find((v): v is RootsOf => typeof v === 'function' && v.name === 'getRoots')
    const getRoots = url && find(await import(url) as Record<string, unknown>)
    if (!url || !getRoots)
      throw new Error(`this version of @slidev/cli has no resolver module with getRoots in ${dist}: the build worker cannot give each deck its own roots`)
    return { url, getRoots, find }
  })()
}

/** Found on the first build (a failure there fails that build, naming the deck), then kept. */
let slidevResolver: ReturnType<typeof findResolver> | undefined

type RootsOf = (entry?: string) => Promise<{ userRoot: string }>

let freshResolvers = 0

async function pinRoots(entry: string): Promise<void> {
  const { url, getRoots, find } = await (slidevResolver ??= findResolver())
  const kept = await getRoots().catch(() => undefined)
  // None kept yet: resolveOptions finds them from this deck's entry.
  if (!kept || kept.userRoot === dirname(entry))
    return
  const fresh = find(await import(`${url}?deck=${++freshResolvers}`) as Record<string, unknown>)!
  Object.assign(kept, await fresh(entry))
}

async function build(request: BuildRequest): Promise<void> {
  const [{ resolveOptions, ViteSlidevPlugin }, vite] = await loaded
  await pinRoots(request.entry)
  const options = await resolveOptions({
    entry: request.entry,
    base: request.base,
    withoutNotes: request.withoutNotes,
  }, 'build')
  const indexHtmlId = resolve(options.userRoot, 'index.html')
  let config: InlineConfig = {
    plugins: [
      {
        name: 'slidev:build',
        resolveId: {
          order: 'pre',
          handler: id => id === indexHtmlId
            ? id
            : null,
        },
        load: {
          order: 'pre',
          handler: id => id === indexHtmlId
            ? options.utils.indexHtml
            : undefined,
        },
      },
      ...(request.stubJapaneseFont
        ? [
            fontStub(),
          ]
        : []),
    ],
    build: {
      chunkSizeWarningLimit: 2000,
      // Vite's size table is seen only with --verbose or on a failure; its gzip column compressed every
      // chunk again, and Rolldown's plugin timings wrapped every hook (together ~0.2 s of a 3 s warm
      // build, within the noise: BENCHMARKS.md).
      reportCompressedSize: false,
      rollupOptions: {
        input: { index: indexHtmlId },
        checks: { bundlerTimings: false },
      },
    },
  }
  // As Slidev: vite.config.* of every root (theme, addons, deck), then the command's own settings.
  for (const root of options.roots) {
    for (const ext of ['.mjs', '.js', '.mts', '.ts']) {
      const file = join(root, `vite.config${ext}`)
      if (!existsSync(file))
        continue
      const found = await vite.loadConfigFromFile({ mode: 'production', command: 'build' }, file)
      if (found)
        config = vite.mergeConfig(config, found.config)
    }
  }
  config = vite.mergeConfig(config, {
    base: request.base,
    build: { outDir: request.outDir },
  })
  const pluginOptions = (config as { slidev?: { unocss?: object } }).slidev
  const plugins = await ViteSlidevPlugin(options, pluginOptions)
  await shareUnoTokens(plugins, unoConfigKey(options, pluginOptions?.unocss))
  config = vite.mergeConfig(config, {
    configFile: false,
    root: options.userRoot,
    plugins,
    define: { __VUE_PROD_DEVTOOLS__: false },
  })
  // Vite reads VITE_* from the environment; builds here run one at a time, so setting them is safe.
  const saved = Object.fromEntries(Object.keys(request.env).map(k => [k, process.env[k]]))
  Object.assign(process.env, request.env)
  try {
    await vite.build(config)
  }
  finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined)
        delete process.env[k]
      else
        process.env[k] = v
    }
  }
}

/**
 * Everything this process prints is also kept for the build in flight and sent back with its
 * reply (a pipe read beside the IPC channel could deliver it after the reply).
 */
let printed = ''
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed += typeof chunk === 'string'
      ? chunk
      : Buffer.from(chunk).toString()
    return write(chunk, ...rest)
  }) as typeof stream.write
}

/** Resident memory after this process's first build. */
let baseRss: number | undefined
let queue = Promise.resolve()

/** Runs one build after the ones before it and makes its reply. */
function handle(request: BuildRequest, started?: () => void): Promise<BuildReply> {
  const done = queue.then(async () => {
    started?.()
    printed = ''
    let failure: Error | undefined
    try {
      await build(request)
    }
    catch (e) {
      failure = e as Error
      // Printed as Slidev's CLI would, so the parent's explanation (slide number, cause) reads it the same way.
      console.error(failure.stack ?? String(failure))
    }
    // What one deck's build allocated is garbage by now: give it back before the next deck.
    ;(globalThis as { gc?: () => void }).gc?.()
    const rss = process.memoryUsage.rss()
    baseRss ??= rss
    const reply: BuildReply = {
      id: request.id,
      ok: !failure,
      message: failure?.message,
      output: printed,
      rss,
      retiring: rss > baseRss + request.retireGrowth,
    }
    printed = ''
    return reply
  })
  queue = done.then(() => {})
  return done
}

/** The first line a build server writes on each connection. */
export interface ServerHello { pid: number }

/** The print hosts this server keeps, by browser executable (PrinterRequest): their sockets. */
const printHosts = new Map<string, Promise<string>>()
/** Print hosts started so far: each socket's suffix, never reused while this server runs. */
let printHostsStarted = 0

/**
 * The socket of the print host kept for `executablePath` (print-host.ts: a headless Chromium and
 * the code that prints decks in it, pdf/printer.ts), started on the first ask in a process of its
 * own, which ends when this one does. Its socket is this server's with a suffix.
 */
function keptPrinter(executablePath: string, serverSocket: string): Promise<string> {
  let kept = printHosts.get(executablePath)
  if (!kept) {
    const socketPath = `${serverSocket}.p${++printHostsStarted}`
    kept = new Promise<string>((resolve, reject) => {
      const host = fork(join(import.meta.dirname, 'print-host.ts'), [executablePath, socketPath], {
        execPath: process.execPath,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      host.once('message', (message: PrintHostMessage) => {
        if ('listening' in message) {
          // Not a deck's leftovers: the next build's memory is the new base of the growth that
          // replaces this server (BuildRequest.retireGrowth).
          baseRss = undefined
          resolve(socketPath)
        }
        else {
          reject(new Error(message.error))
        }
      })
      host.once('exit', (code, signal) => {
        // Crashed or killed: the next ask starts another.
        printHosts.delete(executablePath)
        reject(new Error(`the print host ended (${signal ?? `exit code ${code}`})`))
      })
      // Not a reason to stay: this process ends by its own rules, and the host with it.
      host.unref()
      host.channel?.unref()
    })
    kept.catch(() => printHosts.delete(executablePath))
    printHosts.set(executablePath, kept)
  }
  return kept
}

/**
 * The build server: on each connection it first says who it is (ServerHello), then answers one
 * JSON request per line with one JSON reply per line. It writes `<socket>.pid` once listening; a
 * second server for the same socket finds it taken and leaves. Commands stay connected while they
 * run; with none connected for `idleMs` it ends.
 */
function serve(socketPath: string, idleMs: number): void {
  const pidFile = `${socketPath}.pid`
  let idle: NodeJS.Timeout | undefined
  const connections = new Set<Socket>()
  /** Builds asked for and not answered yet, over every connection. */
  let pending = 0
  let retiring = false
  const server = createServer((socket) => {
    connections.add(socket)
    clearTimeout(idle)
    /** Requests of this connection whose build has started and not replied yet. */
    let running = 0
    writeJsonLine(socket, { pid: process.pid } satisfies ServerHello)
    onJsonLines<ServerRequest>(socket, (request) => {
      if ('kind' in request) {
        void keptPrinter(request.executablePath, socketPath).then(
          endpoint => ({
            id: request.id,
            ok: true,
            output: '',
            endpoint,
          }),
          (e: unknown) => ({
            id: request.id,
            ok: false,
            output: '',
            message: (e as Error).message,
          }),
        ).then(reply => !socket.destroyed && writeJsonLine(socket, reply satisfies BuildReply))
        return
      }
      pending++
      void handle(request, () => running++).then((reply) => {
        running--
        pending--
        // Grown too far: no new commands; it ends once the builds already asked for are answered.
        if (reply.retiring && !retiring) {
          retiring = true
          server.close()
        }
        const after = () => retiring && !pending && !holdsPrinter() && end(0)
        if (socket.destroyed)
          after()
        else
          writeJsonLine(socket, reply, after)
      })
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      connections.delete(socket)
      // Its command was interrupted (Ctrl+C) in the middle of this build: stop writing into the
      // folder it is removing, as a worker of its own would have been stopped.
      if (running > 0)
        end(1)
      if (retiring && !pending && !holdsPrinter())
        end(0)
      if (!connections.size)
        arm()
    })
  })
  /** A command still connected may be printing in the print host kept here: a retiring server waits for it. */
  function holdsPrinter(): boolean {
    return printHosts.size > 0 && connections.size > 0
  }
  function arm(): void {
    clearTimeout(idle)
    idle = setTimeout(end, idleMs, 0)
  }
  function end(code: number): void {
    server.close()
    try {
      // Only its own: a server started after this one was given up for dead may hold them now.
      if (readFileSync(pidFile, 'utf8') === String(process.pid)) {
        rmSync(pidFile, { force: true })
        rmSync(socketPath, { force: true })
      }
    }
    catch {}
    process.exit(code)
  }
  server.on('error', (e: NodeJS.ErrnoException) => {
    // Another server got there first (two commands started one at once): it serves them both.
    console.error(`build server: ${e.message}`)
    process.exit(e.code === 'EADDRINUSE'
      ? 0
      : 1)
  })
  server.listen(socketPath, () => {
    writeFileSync(pidFile, String(process.pid))
    arm()
  })
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    process.on(signal, () => end(0))
}

const listenAt = process.argv.indexOf('--listen')
if (listenAt >= 0) {
  serve(process.argv[listenAt + 1]!, Number(process.argv[listenAt + 2] ?? 600_000))
}
else if (process.send) {
  // The CLI ended (or was killed): nothing is left to build for.
  process.on('disconnect', () => process.exit(0))
  process.on('message', (request: BuildRequest) => {
    void handle(request).then(reply => process.send!(reply))
  })
}
