/**
 * `npm run check -- --render`: the decks built (the site build's cache reused) and every slide opened
 * with all its click steps shown in the system Chromium, as the audience sees it. Reports what only a
 * browser shows: errors thrown by components and anything logged as an error or a Vue warning,
 * requests that fail or leave the deck's origin, content overflowing the slide, and text below the
 * house minimum on the 980 px canvas (24 px body, 20 px captions: diagram labels, code, notes in small
 * print). Each finding names the deck's file, the slide and its line.
 */
import type { Page } from 'playwright-chromium'
import type { Deck } from '../decks.ts'
import type { TalkSlide } from '../transcript/model.ts'
import type { CheckTarget } from './index.ts'
import type { Finding } from './types.ts'
import { launchBrowser } from '../browser.ts'
import { loadDeck } from '../decks.ts'
import { loadSlides } from '../transcript/model.ts'
import { buildAndServe, slideDrawn } from './built-decks.ts'
import { checkOutside, readInside } from './outside.ts'

/** The house minimum on the 980 px canvas (issue: truthful talks, the speaker's house style). */
export const MIN_BODY_PX = 24
export const MIN_CAPTION_PX = 20
export const CANVAS_WIDTH = 980

export interface RenderOptions {
  log?: (line: string) => void
}

interface Measured {
  overflow: { what: string, dx: number, dy: number }[]
  small: { text: string, px: number, caption: boolean }[]
}

/** Runs in the page: what overflows slide `no` and which texts are below the minimum. */
function measureSlide(args: { no: number, width: number, body: number, caption: number }): Measured {
  const page = document.querySelector(`.slidev-page[data-slidev-no="${args.no}"]`)
  const out: Measured = { overflow: [], small: [] }
  if (!page)
    return out
  const box = page.getBoundingClientRect()
  const scale = box.width / args.width
  const name = (el: Element) => `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string'
    ? ` class="${el.className.trim().split(/\s+/).slice(0, 2).join(' ')}"`
    : ''}>${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30)}`
  // What the audience would miss: text and pictures drawn past the slide's edge (an empty box that
  // reaches past the edge hides nothing; Slidev clips the slide).
  const beyond = (el: Element, rects: Iterable<DOMRect>) => {
    for (const r of rects) {
      if (!r.width || !r.height)
        continue
      const dx = Math.max(r.right - box.right, box.left - r.left, 0) / scale
      const dy = Math.max(r.bottom - box.bottom, box.top - r.top, 0) / scale
      if ((dx > 2 || dy > 2) && !out.overflow.some(o => o.what === name(el))) {
        out.overflow.push({
          what: name(el),
          dx: Math.round(dx),
          dy: Math.round(dy),
        })
        return
      }
    }
  }
  const texts = document.createTreeWalker(page, NodeFilter.SHOW_TEXT)
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const el = node.parentElement
    if (!el || !(node.textContent ?? '').trim() || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
      continue
    const range = document.createRange()
    range.selectNodeContents(node)
    beyond(el, range.getClientRects())
  }
  for (const el of page.querySelectorAll('img, svg, video, canvas, iframe, picture, object, embed')) {
    if (!el.parentElement?.closest('svg') && el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
      beyond(el, [
        el.getBoundingClientRect(),
      ])
    }
  }
  const seen = new Set<Element>()
  const walker = document.createTreeWalker(page, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement
    const text = (node.textContent ?? '').trim()
    if (!el || !text || seen.has(el) || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
      continue
    seen.add(el)
    let px = Number.parseFloat(getComputedStyle(el).fontSize)
    const svgText = el.closest('text') as SVGTextElement | null
    if (svgText) {
      // SVG text is scaled with its drawing: its size on the canvas is the font size times the drawing's scale.
      px = px * (svgText.getScreenCTM()?.a ?? scale) / scale
    }
    const caption = !!svgText || !!el.closest('figcaption, small, sub, sup, pre, code, .caption, .muted, .source, footer, [class*="footer"], [class*="caption"]')
    if (px < (caption ? args.caption : args.body) - 0.5) {
      out.small.push({
        text: text.replace(/\s+/g, ' ').slice(0, 24),
        px: Math.round(px * 10) / 10,
        caption,
      })
    }
  }
  return out
}

function label(s: TalkSlide): string {
  return s.title
    ? `slide ${s.no} 「${s.title}」`
    : `slide ${s.no}`
}

async function checkDeck(page: Page, url: string, deck: Deck, slides: TalkSlide[], emit: (f: Omit<Finding, 'deck'>) => void): Promise<void> {
  let current = slides[0]
  const at = (s: TalkSlide | undefined) => ({
    file: s?.file ?? deck.entry,
    line: s
      ? s.headingLine ?? s.line
      : undefined,
    slide: s?.no,
  })
  const origin = new URL(url).origin
  const seen = new Set<string>()
  const once = (key: string, f: Omit<Finding, 'deck'>) => {
    if (!seen.has(key)) {
      seen.add(key)
      emit(f)
    }
  }
  page.on('console', (msg) => {
    const type = msg.type()
    const text = msg.text()
    if (type === 'error' || (type === 'warning' && /\[Vue warn\]/.test(text))) {
      once(`console ${current?.no} ${text}`, {
        ...at(current),
        severity: 'error',
        rule: type === 'error'
          ? 'render/console'
          : 'render/vue-warning',
        message: `${current
          ? label(current)
          : deck.slug}: the browser logged ${type === 'error'
          ? 'an error'
          : 'a Vue warning'}: ${text.split('\n')[0]!.slice(0, 300)}: fix the component or the props the slide gives it`,
      })
    }
  })
  page.on('pageerror', (err) => {
    once(`pageerror ${current?.no} ${err.message}`, {
      ...at(current),
      severity: 'error',
      rule: 'render/error',
      message: `${current
        ? label(current)
        : deck.slug}: a script threw: ${err.message.split('\n')[0]}: fix the component or the slide's markup`,
    })
  })
  page.on('request', (req) => {
    const u = new URL(req.url())
    if (/^https?:$/.test(u.protocol) && u.origin !== origin) {
      once(`origin ${req.url()}`, {
        ...at(current),
        severity: 'error',
        rule: 'render/offline',
        message: `${current
          ? label(current)
          : deck.slug}: requests ${req.url()} from another origin: the deck must work offline; bundle the file with the deck`,
      })
    }
  })
  page.on('requestfailed', (req) => {
    if (new URL(req.url()).origin === origin) {
      once(`failed ${req.url()}`, {
        ...at(current),
        severity: 'error',
        rule: 'render/request',
        message: `${current
          ? label(current)
          : deck.slug}: request failed: ${req.url()} (${req.failure()?.errorText ?? 'failed'}): check the path`,
      })
    }
  })
  page.on('response', (res) => {
    if (res.status() >= 400 && new URL(res.url()).origin === origin) {
      once(`status ${res.url()}`, {
        ...at(current),
        severity: 'error',
        rule: 'render/request',
        message: `${current
          ? label(current)
          : deck.slug}: ${res.url()} answered ${res.status()}: the file is missing from the built deck; check the path`,
      })
    }
  })
  const deckUrl = `${url}${deck.slug}/`
  for (const s of slides) {
    current = s
    const target = `${deckUrl}${s.no}?clicks=999`
    const moved = page.url().startsWith(deckUrl) && await page.evaluate((to) => {
      const app = (document.querySelector('#app') as (Element & { __vue_app__?: any }) | null)?.__vue_app__
      const router = app?.config?.globalProperties?.$router
      if (!router)
        return false
      void router.push(to)
      return true
    }, target.slice(new URL(deckUrl).origin.length + new URL(deckUrl).pathname.length - 1)).catch(() => false)
    if (!moved)
      await page.goto(target, { waitUntil: 'load' })
    try {
      await slideDrawn(page, s.no, 30_000)
    }
    catch (e) {
      emit({
        ...at(s),
        severity: 'error',
        rule: 'render/timeout',
        message: `${label(s)} never finished drawing: ${(e as Error).message.split('\n')[0]}`,
      })
      continue
    }
    const m = await page.evaluate(measureSlide, {
      no: s.no,
      width: CANVAS_WIDTH,
      body: MIN_BODY_PX,
      caption: MIN_CAPTION_PX,
    })
    if (deck.meta.talk.provenance === 'reconstruction') {
      // What components draw (a links slide's labels) counts too, not only the slide's source.
      const shown = await page.locator(`.slidev-page[data-slidev-no="${s.no}"]`).textContent().catch(() => '') ?? ''
      const hit = /文字起こし|書き起こし/.exec(shown)?.[0]
      if (hit) {
        emit({
          ...at(s),
          severity: 'error',
          rule: 'provenance/transcript',
          message: `${label(s)} shows 「${hit}」 but the deck is a reconstruction (talk.provenance): label it a reconstruction (再構成), never 文字起こし`,
        })
      }
    }
    if (m.overflow.length) {
      emit({
        ...at(s),
        severity: 'error',
        rule: 'render/overflow',
        message: `${label(s)}: ${m.overflow.length} element${m.overflow.length === 1
          ? ' overflows'
          : 's overflow'} the slide with every step shown, e.g. ${m.overflow.slice(0, 2).map(o => `${o.what} by ${o.dx
          ? `${o.dx} px across`
          : ''}${o.dx && o.dy
          ? ', '
          : ''}${o.dy
          ? `${o.dy} px down`
          : ''}`).join('; ')}: split the slide or cut its text`,
      })
    }
    for (const caption of [false, true]) {
      const small = m.small.filter(x => x.caption === caption)
      if (!small.length)
        continue
      const min = caption ? MIN_CAPTION_PX : MIN_BODY_PX
      emit({
        ...at(s),
        severity: 'error',
        rule: 'render/text-size',
        message: `${label(s)}: ${small.length} ${caption ? 'caption' : 'body'} text${small.length === 1
          ? ''
          : 's'} below ${min} px on the ${CANVAS_WIDTH} px canvas, e.g. ${small.slice(0, 3).map(x => `「${x.text}」 ${x.px} px`).join(', ')}: restructure the slide (fewer words, two slides) rather than shrink the text`,
      })
    }
  }
}

export async function renderCheck(targets: CheckTarget[], options: RenderOptions = {}): Promise<Finding[]> {
  const log = options.log ?? (() => {})
  const findings: Finding[] = []
  const decks: { deck: Deck, slides: TalkSlide[] }[] = []
  for (const t of targets) {
    // Decks the source checks already reject (invalid metadata, reaching outside) are not built.
    let deck: Deck
    try {
      deck = loadDeck(t.dir, t.slug)
    }
    catch {
      continue
    }
    if (!checkOutside(t.dir, () => {}))
      continue
    const { slides, errors } = await loadSlides(deck.entry, deck.dir, readInside)
    if (!errors.length)
      decks.push({ deck, slides })
  }
  if (!decks.length)
    return findings
  const browser = await launchBrowser()
  try {
    for (const { deck, slides } of decks) {
      // One deck at a time: a deck that does not build is a finding on that deck, not the end of the check.
      log(`check --render: ${deck.slug} (${slides.length} slides; an unchanged deck comes from the site build's cache)`)
      let served: Awaited<ReturnType<typeof buildAndServe>>
      try {
        served = await buildAndServe([deck], line => log(`  ${line}`))
      }
      catch (e) {
        findings.push({
          deck: deck.slug,
          file: deck.entry,
          line: 1,
          severity: 'error',
          rule: 'render/build',
          message: `the deck does not build: ${(e as Error).message.split('\n').slice(0, 6).join(' ')}`,
        })
        continue
      }
      const context = await browser.newContext({
        viewport: { width: 1280, height: 720 },
        colorScheme: 'light',
      })
      const page = await context.newPage()
      try {
        await checkDeck(page, served.url, deck, slides, f => findings.push({ deck: deck.slug, ...f }))
      }
      finally {
        await context.close()
        await served.close()
      }
    }
  }
  finally {
    await browser.close()
  }
  return findings
}
