/**
 * The browser side of the render pass: a Printer prints decks (render.ts's `printDeck`) in a
 * headless Chromium. Either launched in the command's own process (`launchPrinter`), or kept by the
 * build server in a print host of its own (print-host.ts runs `servePrinter`), which a command
 * reaches over a Unix socket (`connectPrinter`).
 *
 * Through the print host a command loads no Playwright (0.5-0.7 s of Node's time, most of an edited
 * deck's render outside the page itself) and starts no browser; the host drives Chromium over its
 * own pipe and sends back the PDF and what the page showed. (A kept Playwright browser server, used
 * before, relayed every protocol message of the print through another process: beside a build on
 * 2 cores that made a cold multi-deck publish slower; BENCHMARKS.md.)
 *
 * Either way the same code prints, and a page that crashes or a browser that dies mid-print ends
 * the print at once with an error naming the deck, instead of leaving a wait pending for good.
 */
import type { Socket } from 'node:net'
import type { Browser, Page } from 'playwright-chromium'
import type { PrintedDeck, PrintOptions, PrintTarget, SlideProblem } from './render.ts'
import { rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { isFault } from '../errors.ts'
import { onJsonLines, writeJsonLine } from '../json-lines.ts'
import { NoExportRouteError, printDeck, SlideRenderError } from './render.ts'

export interface Printer {
  print: (target: PrintTarget, options: PrintOptions) => Promise<PrintedDeck>
  /** Closes what this printer opened: the context and browser it launched, or its connection to a print host. */
  close: () => Promise<void>
}

/** A printer with its own browser (this process's, or the print host's). */
export interface LocalPrinter extends Printer {
  browser: Browser
}

/** How the page is seen while printing: the slides' canvas size, light, no motion, Japanese dates and numbers. */
const CONTEXT_OPTIONS = {
  viewport: { width: 1280, height: 720 },
  colorScheme: 'light',
  reducedMotion: 'reduce',
  // Slidev reads the language from the page; keep dates and numbers as on stage.
  locale: 'ja-JP',
} as const

/** Launches headless Chromium (the headless shell where installed, or `executablePath`) and prints in it. */
export async function launchPrinter(options: { executablePath?: string } = {}): Promise<LocalPrinter> {
  const { launchBrowser } = await import('../browser.ts')
  return printerIn(await launchBrowser({ print: true, executablePath: options.executablePath }))
}

async function printerIn(browser: Browser): Promise<LocalPrinter> {
  const context = await browser.newContext(CONTEXT_OPTIONS).catch(async (e: unknown) => {
    // The browser died as it started: nobody else will close it.
    await browser.close().catch(() => {})
    throw e
  })
  return {
    browser,
    async print(target, options) {
      // A page that crashes (out of memory) or a browser that dies can leave a wait inside
      // printDeck pending for good: their events end the print at once instead.
      let gone: (e: Error) => void = () => {}
      const goneWhile = new Promise<never>((_, reject) => {
        gone = reject
      })
      goneWhile.catch(() => {})
      const onCrash = () => gone(new Error(`Page crashed while printing deck ${options.slug}`))
      const onPage = (page: Page) => page.once('crash', onCrash)
      const onDisconnect = () => gone(new Error(`Browser has been closed while printing deck ${options.slug}`))
      context.on('page', onPage)
      browser.once('disconnected', onDisconnect)
      try {
        return await Promise.race([
          printDeck(context, target, options),
          goneWhile,
        ])
      }
      catch (e) {
        // A browser that died mid-print makes requests fail and slides look broken: blame the browser, not the deck.
        if (!browser.isConnected() && !isFault(e)) {
          throw new Error(`Browser has been closed while printing (${e instanceof Error
            ? e.message.split('\n')[0]
            : String(e)})`)
        }
        throw e
      }
      finally {
        context.off('page', onPage)
        browser.off('disconnected', onDisconnect)
      }
    },
    async close() {
      await context.close().catch(() => {})
      await browser.close().catch(() => {})
    },
  }
}

interface PrintRequest {
  id: number
  target: PrintTarget
  options: PrintOptions
}

/** A print's failure as it crosses the socket: the deck's problems stay problems, a fault stays a fault. */
type WireError
  = | { kind: 'slides', slug: string, problems: SlideProblem[] }
    | { kind: 'no-export', url: string }
    | { kind: 'error', message: string, code?: string }

type PrintReply
  = | { id: number, ok: true, printed: Omit<PrintedDeck, 'pdf'> & { pdf: string } }
    | { id: number, ok: false, error: WireError }

function toWire(e: unknown): WireError {
  if (e instanceof SlideRenderError)
    return { kind: 'slides', slug: e.slug, problems: e.problems }
  if (e instanceof NoExportRouteError)
    return { kind: 'no-export', url: e.url }
  return {
    kind: 'error',
    message: e instanceof Error
      ? e.message
      : String(e),
    code: (e as NodeJS.ErrnoException | undefined)?.code,
  }
}

function fromWire(e: WireError): Error {
  if (e.kind === 'slides')
    return new SlideRenderError(e.slug, e.problems)
  if (e.kind === 'no-export')
    return new NoExportRouteError(e.url)
  return Object.assign(new Error(e.message), e.code === undefined
    ? {}
    : { code: e.code })
}

/**
 * Answers print requests on a Unix socket at `socketPath` (one JSON line each way per print; prints
 * of several connections and decks run at once, each on its own page). Resolves once listening, with
 * a function that stops at once: no new connections, and the open ones closed, so what they were
 * printing fails on their side naming the deck rather than meeting a browser that is closing.
 */
export function servePrinter(printer: Printer, socketPath: string): Promise<() => void> {
  rmSync(socketPath, { force: true })
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onJsonLines<PrintRequest>(socket, (request) => {
      void printer.print(request.target, request.options).then(
        (printed): PrintReply => ({
          id: request.id,
          ok: true,
          printed: {
            ...printed,
            pdf: Buffer.from(printed.pdf).toString('base64'),
          },
        }),
        (e: unknown): PrintReply => ({
          id: request.id,
          ok: false,
          error: toWire(e),
        }),
      ).then(reply => !socket.destroyed && writeJsonLine(socket, reply))
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => resolve(() => {
      server.close()
      for (const socket of sockets)
        socket.destroy()
    }))
  })
}

/** A printer that prints in the print host listening at `socketPath` (servePrinter). */
export function connectPrinter(socketPath: string): Promise<Printer> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath)
    const pending = new Map<number, { slug: string, resolve: (p: PrintedDeck) => void, reject: (e: Error) => void }>()
    let nextId = 0
    socket.once('error', reject)
    socket.on('close', () => {
      // The host ended (its browser died, or the build server that keeps it): what it was printing is lost.
      for (const p of pending.values())
        p.reject(new Error(`Browser has been closed while printing deck ${p.slug}`))
      pending.clear()
    })
    socket.once('connect', () => {
      socket.off('error', reject)
      socket.on('error', () => {})
      onJsonLines<PrintReply>(socket, (reply) => {
        const p = pending.get(reply.id)
        pending.delete(reply.id)
        if (!p)
          return
        if (reply.ok) {
          p.resolve({
            ...reply.printed,
            pdf: Buffer.from(reply.printed.pdf, 'base64'),
          })
        }
        else {
          p.reject(fromWire(reply.error))
        }
      })
      resolve({
        print(target, options) {
          return new Promise((resolve, reject) => {
            if (socket.destroyed) {
              reject(new Error(`Browser has been closed while printing deck ${options.slug}`))
              return
            }
            const id = ++nextId
            pending.set(id, { slug: options.slug, resolve, reject })
            writeJsonLine(socket, { id, target, options } satisfies PrintRequest)
          })
        },
        async close() {
          socket.end()
        },
      })
    })
  })
}
