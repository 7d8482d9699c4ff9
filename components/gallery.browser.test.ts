/**
 * The diagram gallery (decks/_gallery) in a real browser: every slide, fully revealed, in light and dark.
 * Screenshots go to .tmp/gallery/<n>-<scheme>.png for a person to look at; the test fails on what a
 * person would otherwise have to spot: content outside the slide, a label sticking out of its box,
 * an empty diagram, a console error, or a request to another origin.
 */
import type { ChildProcess } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-chromium'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../scripts/lib/browser.ts'
import { repoRoot } from '../scripts/lib/paths.ts'
import { spawnSlidev } from '../scripts/lib/slidev.ts'
import { waitForHttp } from '../scripts/lib/testing/dev-server.ts'
import { findOverflowInPage } from '../scripts/lib/testing/overflow.ts'
import { watchPage } from '../scripts/lib/testing/page-watch.ts'

// A port the OS picks (other test servers hold fixed ports on a shared machine).
let PORT = 0
let ORIGIN = ''
const DECK = 'decks/_gallery/slides.md'
const OUT = join(repoRoot, '.tmp/gallery')

let browser: Browser
let server: ChildProcess
let log = ''

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

async function stopServer() {
  if (!server || server.exitCode !== null)
    return
  const exited = new Promise(r => server.once('exit', r))
  try {
    process.kill(-server.pid!, 'SIGTERM')
  }
  catch {}
  await Promise.race([
    exited,
    new Promise(r => setTimeout(r, 5000)),
  ])
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true })
  PORT = await freePort()
  ORIGIN = `http://localhost:${PORT}`
  server = spawnSlidev([
    DECK,
    '--port',
    String(PORT),
  ], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  server.stdout!.on('data', (d: Buffer) => log += d.toString())
  server.stderr!.on('data', (d: Buffer) => log += d.toString())
  try {
    ;[browser] = await Promise.all([
      launchBrowser(),
      waitForHttp(`${ORIGIN}/`, 120_000, server, () => log),
    ])
  }
  catch (e) {
    await stopServer()
    throw e
  }
})

afterAll(async () => {
  await browser?.close()
  await stopServer()
})

/** Inside the page: diagrams with nothing drawn, and box labels wider or taller than their box. */
function inspectDiagrams(): { empty: string[], labelOverflow: string[], count: number } {
  const empty: string[] = []
  const labelOverflow: string[] = []
  const diagrams = [
    ...document.querySelectorAll<SVGSVGElement>('.slidev-page svg[role="img"]'),
  ]
    .filter(svg => svg.closest<HTMLElement>('.slidev-page')!.offsetParent !== null)
  for (const svg of diagrams) {
    const name = svg.getAttribute('aria-label') ?? ''
    const shapes = [
      ...svg.querySelectorAll<SVGGraphicsElement>('rect, path, polygon, text'),
    ].filter((el) => {
      const b = el.getBBox()
      const style = getComputedStyle(el)
      return b.width > 0 && b.height > 0 && style.visibility !== 'hidden' && Number(style.opacity) > 0
        && !el.closest('.slidev-vclick-hidden')
    })
    if (!shapes.some(s => s.tagName === 'text') && !svg.classList.contains('talk-links-qr'))
      empty.push(`no text in "${name.slice(0, 40)}"`)
    if (shapes.length < 2)
      empty.push(`nothing drawn in "${name.slice(0, 40)}"`)
    for (const box of svg.querySelectorAll<SVGGElement>('.diagram-box')) {
      const frame = box.querySelector<SVGRectElement>('.diagram-box-frame')!.getBBox()
      const label = box.querySelector<SVGTextElement>('.diagram-box-text')!
      const t = label.getBBox()
      const slack = 2
      if (t.x < frame.x - slack || t.y < frame.y - slack || t.x + t.width > frame.x + frame.width + slack || t.y + t.height > frame.y + frame.height + slack)
        labelOverflow.push(`"${label.textContent?.trim()}" (${Math.round(t.width)}x${Math.round(t.height)}) outside its box (${Math.round(frame.width)}x${Math.round(frame.height)}) in "${name.slice(0, 30)}"`)
    }
  }
  // Two pieces of text drawn on top of each other (labels placed by hand can collide).
  for (const svg of diagrams) {
    const texts = [
      ...svg.querySelectorAll<SVGTextElement>('text'),
    ]
      .filter(t => !t.closest('.slidev-vclick-hidden') && t.textContent?.trim())
      .map(t => ({
        t: t.textContent!.trim(),
        r: t.getBoundingClientRect(),
      }))
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i]!.r
        const b = texts[j]!.r
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left)
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
        if (w > 3 && h > 3)
          labelOverflow.push(`"${texts[i]!.t}" overlaps "${texts[j]!.t}"`)
      }
    }
  }
  return { empty, labelOverflow, count: diagrams.length }
}

/** Smallest label text allowed in a diagram, in px of the 980 px canvas (issue 12: captions ≥ 20 px). */
const MIN_LABEL_PX = 20

/**
 * Inside the page: every visible piece of diagram text whose rendered size is below `min` px of the
 * slide canvas. The SVG is scaled into the slide and the slide into the window, so the size that counts
 * is the font size in SVG units × the SVG's scale, divided by the slide's own scale (canvas px).
 */
function smallDiagramLabels(min: number): string[] {
  const small: string[] = []
  for (const svg of document.querySelectorAll<SVGSVGElement>('.slidev-page svg.talk-diagram')) {
    const page = svg.closest<HTMLElement>('.slidev-page')!
    if (page.offsetParent === null)
      continue
    const slide = svg.closest<HTMLElement>('#slide-content') ?? page
    const slideScale = slide.getBoundingClientRect().width / slide.offsetWidth
    const view = svg.viewBox.baseVal
    const svgScale = svg.getBoundingClientRect().width / (view && view.width
      ? view.width
      : svg.width.baseVal.value)
    const name = (svg.getAttribute('aria-label') ?? '').slice(0, 30)
    for (const el of svg.querySelectorAll<SVGTextContentElement>('text, tspan')) {
      // Only elements that hold text themselves (a <text> of <tspan>s is measured through them).
      const own = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join('').trim()
      if (!own || el.closest('.slidev-vclick-hidden'))
        continue
      const px = Number.parseFloat(getComputedStyle(el).fontSize) * svgScale / slideScale
      if (px < min - 0.05)
        small.push(`"${own}" is ${px.toFixed(1)} px (< ${min}) in "${name}"`)
    }
  }
  return small
}

interface NavLike { go: (n: number, c: number) => Promise<void>, clicksTotal: number, total: number }
function nav(page: Page) {
  return {
    go: (n: number, clicks: number) => page.evaluate(([no, c]) => (window as unknown as { __slidev__: { nav: NavLike } }).__slidev__.nav.go(no!, c!), [n, clicks]),
    clicksTotal: () => page.evaluate(() => (window as unknown as { __slidev__: { nav: NavLike } }).__slidev__.nav.clicksTotal),
  }
}

async function slideCount(page: Page): Promise<number> {
  // The first load compiles the deck and its components: slow on a cold or busy machine.
  await page.goto(`${ORIGIN}/1`, { waitUntil: 'networkidle', timeout: 120_000 })
  return page.evaluate(() => (window as unknown as { __slidev__: { nav: { total: number } } }).__slidev__.nav.total)
}

describe.each(['light', 'dark'] as const)('gallery deck in %s mode', (scheme) => {
  it('renders every slide inside the canvas, with visible diagrams, offline and without errors', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      deviceScaleFactor: 1,
      colorScheme: scheme,
    })
    // Slidev remembers the scheme here; set it before any script runs so the first paint is right.
    await context.addInitScript((s) => {
      localStorage.setItem('slidev-color-schema', s)
    }, scheme)
    const page = await context.newPage()
    const watch = watchPage(page, [ORIGIN])
    await page.route('**/*', route => /^(?:data|blob):/.test(route.request().url()) || route.request().url().startsWith(ORIGIN)
      ? route.continue()
      : route.abort('internetdisconnected'))
    const total = await slideCount(page)
    expect(total, 'slide count of decks/_gallery').toBeGreaterThan(20)
    const problems: string[] = []
    let diagrams = 0
    for (let n = 1; n <= total; n++) {
      // Navigate inside the app (a full load per slide is slow); clicks past the end reveal every
      // v-click, like the static PDF export. Slide 1 is also checked with ?clicks=99 on a fresh load.
      if (n === 1)
        await page.goto(`${ORIGIN}/1?clicks=99`, { waitUntil: 'networkidle' })
      else
        await nav(page).go(n, 99)
      await page.locator(`.slidev-page-${n}`).waitFor()
      await page.waitForLoadState('networkidle')
      // Slides titled "クリックで順に" use step: their parts must be click steps; no other slide has any.
      const heading = await page.locator(`.slidev-page-${n} h1`).first().textContent().catch(() => '') ?? ''
      const stepped = heading.includes('クリックで順に')
      await expect.poll(() => nav(page).clicksTotal(), { timeout: 5000 }).toSatisfy((t: number) => stepped
        ? t > 0
        : t === 0)
      if (stepped) {
        await nav(page).go(n, 0)
        await page.waitForTimeout(500)
        const hidden = await page.locator(`.slidev-page-${n} .slidev-vclick-hidden`).count()
        if (!hidden)
          problems.push(`slide ${n}: step diagram shows everything before the first click`)
        await page.locator('#slide-content').first().screenshot({
          path: join(OUT, `${String(n).padStart(2, '0')}-${scheme}-click0.png`),
        })
        await nav(page).go(n, 99)
      }
      await page.evaluate(() => document.fonts.ready)
      // Let the fade transition and v-click animations finish before measuring.
      await page.waitForTimeout(700)
      const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'))
      if (dark !== (scheme === 'dark'))
        problems.push(`slide ${n}: html.dark is ${dark} in ${scheme} mode`)
      for (const o of await page.evaluate(findOverflowInPage, 1))
        problems.push(`slide ${n}: overflow ${o}`)
      for (const s of await page.evaluate(smallDiagramLabels, MIN_LABEL_PX))
        problems.push(`slide ${n}: label ${s}`)
      const d = await page.evaluate(inspectDiagrams)
      diagrams += d.count
      for (const e of [
        ...d.empty,
        ...d.labelOverflow,
      ])
        problems.push(`slide ${n}: ${e}`)
      await page.locator('#slide-content').first().screenshot({
        path: join(OUT, `${String(n).padStart(2, '0')}-${scheme}.png`),
      })
    }
    expect(problems).toEqual([])
    // Every slide but the cover, the path-only TalkLinks slide and the two SourceNote slides (text
    // only) holds one SVG (the QR code counts).
    expect(diagrams, 'diagram SVGs found across the gallery').toBeGreaterThanOrEqual(total - 4)
    expect(watch.external).toEqual([])
    expect(watch.failed).toEqual([])
    expect(watch.consoleErrors).toEqual([])
    await context.close()
  })
})
