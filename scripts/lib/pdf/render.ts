/**
 * The render pass: one visit per deck to Slidev's own browser exporter page (`/export`, kept in
 * builds by `browserExporter: true` in the theme defaults), where every slide is rendered once,
 * in one document, with all its clicks shown. From that one page come the PDF (one `page.pdf`
 * call, as Slidev's CLI does with its `/print` page), and, when asked, the thumbnails, the social
 * card and the text each slide lays out (site/pictures.ts).
 *
 * Before printing, every slide is checked: a Mermaid error, a missing image, a failed request or
 * a console error stops the export with the slide number, so no PDF with an error box is written.
 */
import type { BrowserContext, Page } from 'playwright-chromium'
import type { Pictures, PictureTargets } from '../site/pictures.ts'
import { capturePictures } from '../site/pictures.ts'

export interface PrintTarget {
  /** http://127.0.0.1:port */
  origin: string
  /** URL path the build is served under, e.g. /2024-09-20-x/ */
  base: string
}

export interface PrintedPage {
  /** Slide number (1-based, as in the deck's URLs). */
  no: number
  /** Click step shown on this page (0 without --per-click). */
  click: number
}

export interface DomSlide {
  no: number
  heading?: string
}

export interface PrintedDeck {
  pdf: Uint8Array
  pages: PrintedPage[]
  slides: DomSlide[]
  /** Slide width and height in CSS pixels (Slidev's canvas). */
  width: number
  height: number
  /** The pictures' fingerprints and the text each slide lays out, when pictures were taken. */
  pictures?: Pictures
}

export interface SlideProblem {
  /** Undefined when the cause could not be pinned to one slide. */
  slide?: number
  cause: string
}

/** A deck that did not render cleanly; the message lists every problem by slide. */
export class SlideRenderError extends Error {
  readonly userFacing = true
  readonly slug: string
  readonly problems: SlideProblem[]
  constructor(slug: string, problems: SlideProblem[]) {
    super(`deck ${slug}: ${problems.length === 1
      ? 'a slide failed'
      : `${problems.length} problems`} to render, no PDF written\n${problems.map(p => `  ${p.slide
      ? `slide ${p.slide}`
      : 'slide unknown'}: ${p.cause}`).join('\n')}`)
    this.name = 'SlideRenderError'
    this.slug = slug
    this.problems = problems
  }
}

/** The build has no /export page (built without `browserExporter`): the caller builds its own. */
export class NoExportRouteError extends Error {
  readonly url: string
  constructor(url: string) {
    super(`${url} shows the slides, not Slidev's export page: the build lacks browserExporter`)
    this.name = 'NoExportRouteError'
    this.url = url
  }
}

export interface PrintOptions {
  slug: string
  perClick?: boolean
  timeoutMs?: number
  /** Also take the slide pictures (thumbnails, social card) and the laid-out text. */
  pictures?: PictureTargets
}

interface PageLog {
  consoleErrors: string[]
  warnings: string[]
  failed: { url: string, reason: string }[]
  external: string[]
}

/** Chromium logs a failed request twice (as a request and as a console line); the request is enough. */
const RESOURCE_CONSOLE = /^Failed to load resource:/

interface VueError {
  no?: number
  message: string
  info: string
}

/**
 * Runs in the page before Slidev: when Vue mounts the app (it sets `__vue_app__` on the root
 * element), install an error handler that records which slide a failing component is on, by
 * walking up to the PrintSlide/SlideWrapper whose `route` prop carries the slide number. Slides
 * are components loaded after the mount, so their errors all arrive here rather than as a bare
 * console.error with a minified stack that names no slide.
 */
function trapVueErrors(): void {
  interface Instance { $props?: { route?: { no?: number } }, $parent?: Instance | null }
  const errors: VueError[] = []
  ;(window as unknown as { __pdfVueErrors: VueError[] }).__pdfVueErrors = errors
  Object.defineProperty(Element.prototype, '__vue_app__', {
    configurable: true,
    // Only reached before the app is mounted: the setter replaces itself with a plain value.
    get: () => undefined,
    set(this: Element, app: { config: { errorHandler?: (err: unknown, instance: Instance | null, info: string) => void } }) {
      Object.defineProperty(this, '__vue_app__', { value: app, configurable: true, writable: true })
      app.config.errorHandler = (err, instance, info) => {
        let no: number | undefined
        for (let p = instance; p && no === undefined; p = p.$parent ?? null)
          no = p.$props?.route?.no
        errors.push({
          no,
          message: String((err as Error)?.stack ?? err),
          info,
        })
      }
    },
  })
}

async function watch(page: Page, origin: string): Promise<PageLog> {
  const log: PageLog = {
    consoleErrors: [],
    warnings: [],
    failed: [],
    external: [],
  }
  await page.addInitScript(trapVueErrors)
  // Offline by design: a deck that reaches for another origin would print differently on stage.
  await page.route(url => !url.href.startsWith(origin), (route) => {
    log.external.push(route.request().url())
    return route.abort('blockedbyclient')
  })
  page.on('console', (m) => {
    if (m.type() === 'error' && !RESOURCE_CONSOLE.test(m.text()))
      log.consoleErrors.push(m.text())
    else if (m.type() === 'warning')
      log.warnings.push(m.text())
  })
  page.on('pageerror', e => log.consoleErrors.push(String(e.stack ?? e)))
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith(origin))
      return
    log.failed.push({
      url: r.url(),
      reason: r.failure()?.errorText ?? 'failed',
    })
  })
  page.on('response', (r) => {
    if (r.status() >= 400) {
      log.failed.push({
        url: r.url(),
        reason: `HTTP ${r.status()}`,
      })
    }
  })
  return log
}

/**
 * Waits, in the page, until the slides have settled: Slidev's own readiness signals (slide
 * loading placeholders gone, `data-waitfor` targets present, Mermaid's rendering container
 * empty), every Mermaid diagram drawn, every image decoded or failed, fonts loaded, and the DOM
 * quiet for a moment (components that draw asynchronously, such as QR codes).
 */
function settleInPage(args: { root: string, timeoutMs: number, quietMs: number }): Promise<string[]> {
  const { root, timeoutMs, quietMs } = args
  const deadline = performance.now() + timeoutMs
  let lastChange = performance.now()
  const observer = new MutationObserver(() => {
    lastChange = performance.now()
  })
  observer.observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  })
  const pending = (): string[] => {
    const scope = document.querySelector(root) ?? document.body
    const waits: string[] = []
    if (scope.querySelector('.slidev-slide-loading'))
      waits.push('a slide is still loading')
    for (const el of scope.querySelectorAll<HTMLElement>('[data-waitfor]')) {
      const sel = el.dataset.waitfor
      if (sel && !el.querySelector(sel))
        waits.push(`data-waitfor "${sel}" not present`)
    }
    // Slidev's Mermaid component is an empty host until its SVG arrives in the shadow root, or
    // turns into an error <pre>. (Slidev's CLI waits for Mermaid's scratch container to empty
    // instead; after a syntax error it never does: its 30 s timeout that names no slide.)
    for (const host of scope.querySelectorAll<HTMLElement>('.mermaid')) {
      if (!host.shadowRoot?.querySelector('svg'))
        waits.push('a Mermaid diagram is not drawn yet')
    }
    for (const img of scope.querySelectorAll('img')) {
      if (!img.complete)
        waits.push(`image ${img.getAttribute('src')} is loading`)
    }
    if (document.fonts.status !== 'loaded')
      waits.push('fonts are loading')
    return waits
  }
  return new Promise((resolve) => {
    const tick = () => {
      const waits = pending()
      const now = performance.now()
      if ((!waits.length && now - lastChange >= quietMs) || now > deadline) {
        observer.disconnect()
        void document.fonts.ready.then(() => resolve(now > deadline
          ? waits
          : []))
        return
      }
      setTimeout(tick, 30)
    }
    tick()
  })
}

interface Inspection {
  /** Every image, background and source URL each slide uses, to pin failed requests on slides. */
  resources: { no: number, urls: string[] }[]
  slides: DomSlide[]
  pages: PrintedPage[]
  problems: SlideProblem[]
  width: number
  height: number
}

/** Reads the printed containers (`#NNN-CC`) and finds error boxes and broken images per slide. */
function inspectInPage(): Inspection {
  const problems: SlideProblem[] = []
  const slides = new Map<number, DomSlide>()
  const pages: PrintedPage[] = []
  let width = 0
  let height = 0
  const resources: { no: number, urls: string[] }[] = []
  const containers = [
    ...document.querySelectorAll<HTMLElement>('#export-content .print-slide-container'),
  ]
  for (const c of containers) {
    if (getComputedStyle(c).display === 'none')
      continue
    const [no, click] = c.id.split('-').map(Number) as [number, number]
    pages.push({ no, click: click - 1 })
    width = c.offsetWidth
    height = Number.parseFloat(c.style.height) || c.offsetHeight
    if (!slides.has(no)) {
      const h = c.querySelector('h1, h2')
      slides.set(no, { no, heading: h?.textContent?.trim() || undefined })
    }
    const add = (cause: string) => {
      if (!problems.some(p => p.slide === no && p.cause === cause))
        problems.push({ slide: no, cause })
    }
    const roots: (Element | ShadowRoot)[] = [
      c,
      ...[
        ...c.querySelectorAll('*'),
      ].flatMap(e => e.shadowRoot
        ? [e.shadowRoot]
        : []),
    ]
    const urls = new Set<string>()
    for (const root of roots) {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        const src = (el as HTMLImageElement).currentSrc || el.getAttribute('src') || el.getAttribute('href')
        if (src)
          urls.add(new URL(src, location.href).href)
        for (const m of getComputedStyle(el).backgroundImage.matchAll(/url\("?([^")]+)"?\)/g))
          urls.add(new URL(m[1]!, location.href).href)
      }
    }
    resources.push({
      no,
      urls: [...urls],
    })
    for (const root of roots) {
      for (const img of root.querySelectorAll('img')) {
        if (img.complete && img.naturalWidth === 0)
          add(`missing image ${new URL(img.currentSrc || img.src, location.href).pathname} (it did not load)`)
      }
      for (const svg of root.querySelectorAll('svg[aria-roledescription="error"]'))
        add(`Mermaid syntax error: ${(svg.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 160)}`)
    }
    // Slidev's Mermaid component shows a failed diagram as a bare <pre> with the parser's
    // message; code blocks are <pre><code>, so a <pre> without <code> mentioning an error is one.
    for (const pre of c.querySelectorAll('pre')) {
      const text = (pre.textContent ?? '').trim()
      if (!pre.querySelector('code') && /error/i.test(text))
        add(`render error shown on the slide: ${text.replace(/\s+/g, ' ').slice(0, 200)}`)
    }
    if (/Syntax error in text/.test(c.textContent ?? ''))
      add('Mermaid syntax error ("Syntax error in text")')
  }
  return {
    resources,
    slides: [
      ...slides.values(),
    ],
    pages,
    problems,
    width,
    height,
  }
}

/** Which route did the SPA land on: Slidev's export page, or (a build without it) the slides. */
async function landed(page: Page, timeoutMs: number): Promise<'export' | 'play'> {
  const handle = await page.waitForFunction(() => {
    if (document.querySelector('#export-content .print-slide-container'))
      return 'export'
    if (document.querySelector('#slide-content, .slidev-page'))
      return 'play'
    return false
  }, undefined, { timeout: timeoutMs, polling: 50 })
  return await handle.jsonValue() as 'export' | 'play'
}

/** Failed requests that a slide uses become that slide's problem; the rest stay unexplained. */
function attribute(log: PageLog, found: Inspection, problems: SlideProblem[]): { failed: PageLog['failed'], consoleErrors: string[] } {
  const failed: PageLog['failed'] = []
  for (const f of log.failed) {
    const path = new URL(f.url).pathname
    const users = new Set(found.resources.filter(r => r.urls.includes(f.url)).map(r => r.no))
    if (!users.size) {
      if (!problems.some(p => p.cause.includes(path)))
        failed.push(f)
      continue
    }
    for (const no of users) {
      if (!problems.some(p => p.slide === no && p.cause.includes(path)))
        problems.push({ slide: no, cause: `missing image or file ${path} (${f.reason})` })
    }
  }
  return { failed, consoleErrors: log.consoleErrors }
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join(' | ').slice(0, 300)
}

export async function printDeck(context: BrowserContext, target: PrintTarget, options: PrintOptions): Promise<PrintedDeck> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const page = await context.newPage()
  const url = `${target.origin}${target.base}export${options.perClick ? '?print=clicks' : ''}`
  let crashed = false
  page.once('crash', () => {
    crashed = true
  })
  try {
    const log = await watch(page, target.origin)
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs })
    if (await landed(page, timeoutMs) !== 'export')
      throw new NoExportRouteError(url)
    const stuck = await page.evaluate(settleInPage, { root: '#export-content', timeoutMs, quietMs: 150 })
    const found = await page.evaluate(inspectInPage)
    const problems = [...found.problems]
    if (stuck.length) {
      problems.push({ cause: `not ready after ${timeoutMs / 1000} s: ${[
        ...new Set(stuck),
      ].join('; ')}` })
    }
    if (log.external.length) {
      problems.push({ cause: `requests another origin (decks must work offline): ${[
        ...new Set(log.external),
      ].join(', ')}` })
    }
    const rest = attribute(log, found, problems)
    const vueErrors = await page.evaluate(() => (window as unknown as { __pdfVueErrors?: VueError[] }).__pdfVueErrors ?? [])
    for (const e of vueErrors)
      problems.push({ slide: e.no, cause: `component error: ${firstLines(e.message)}` })
    problems.push(...rest.consoleErrors.map(e => ({ cause: `console error: ${firstLines(e)}` })))
    problems.push(...rest.failed.map(f => ({ cause: `request failed: ${f.url} (${f.reason})` })))
    if (problems.length)
      throw new SlideRenderError(options.slug, problems.sort((a, b) => (a.slide ?? 0) - (b.slide ?? 0)))
    // Slidev's exporter page is laid out for print media (its controls are `print:hidden`).
    await page.emulateMedia({ media: 'print', colorScheme: 'light' })
    // Pictures of the page as printed: what the PDF shows, the thumbnails show.
    const pictures = options.pictures && await capturePictures(page, options.pictures)
    const pdf = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      margin: { top: 0, right: 0, bottom: 0, left: 0 },
      tagged: true,
    })
    return {
      pdf,
      pages: found.pages,
      slides: found.slides,
      width: found.width,
      height: found.height,
      pictures,
    }
  }
  catch (e) {
    // A renderer killed mid-print (out of memory, or killed) first shows as an aborted load or a
    // failed print: give its crash a moment to surface, and say it as the browser fault it is.
    if (!(e instanceof SlideRenderError) && !(e instanceof NoExportRouteError)) {
      await new Promise(r => setTimeout(r, 500))
      if (crashed || page.isClosed() || !context.browser()?.isConnected())
        throw new Error(`Page crashed while printing ${url} (${(e as Error).message.split('\n')[0]})`)
    }
    throw e
  }
  finally {
    await page.close()
  }
}
