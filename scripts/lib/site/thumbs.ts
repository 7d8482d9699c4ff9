/**
 * Pictures of the built slides: `thumbs/<n>.png` (480 px wide, every slide with all its clicks
 * shown) and `og.png` (1200x675, the first slide, for social cards). Rendered from the built site
 * itself, served as a static host would, with one browser for every deck.
 */
import type { Browser, BrowserContext, Page } from 'playwright-chromium'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { OG_HEIGHT, OG_WIDTH } from './social.ts'

export const THUMB_WIDTH = 480
export const THUMB_HEIGHT = 270
/** Slidev's canvas width in the shared theme; the viewport matches it so layout is the presenter's. */
const CANVAS_WIDTH = 980

export interface ThumbJob {
  slug: string
  /** URL of the deck (with trailing slash), e.g. http://127.0.0.1:3500/talks/<slug>/ */
  url: string
  /** Directory of the built deck: thumbs/ and og.png are written there. */
  dir: string
  slides: number
}

/**
 * What still keeps slide `n` from being finished, or '' when it is: the page's own state, named so
 * a timeout says what it waited for.
 */
function pendingOnSlide(no: number): string {
  const el = document.querySelector(`.slidev-page[data-slidev-no="${no}"]`)
  if (!el)
    return `slide ${no} is not in the page (at ${location.pathname}${location.search})`
  if (el.querySelector('.slidev-slide-loading'))
    return `slide ${no} is still loading its component`
  // Slidev renders Mermaid off-screen first; an occupied container means a diagram is still being drawn.
  if (document.querySelector('#mermaid-rendering-container > div'))
    return 'a Mermaid diagram is still being drawn'
  // What matters is what the picture shows: nothing still moving (the slide's enter, the previous
  // slide's leave, v-click reveals) and the slide fully opaque. Vue's transition classes are not
  // used as the signal: under load, Slidev's TransitionGroup now and then leaves `fade-enter-active`
  // on a slide whose transition has long ended, which stalled the build.
  const moving = document.getAnimations().filter(a => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().endTime ?? 0))
  if (moving.length)
    return `${moving.length} animation(s) still running on the page`
  const opacity = getComputedStyle(el).opacity
  if (opacity !== '1')
    return `slide ${no} is not fully shown (opacity ${opacity}, classes "${el.className}")`
  if (document.fonts.status !== 'loaded') {
    const loading = [...document.fonts].filter(f => f.status === 'loading').map(f => `${f.family} ${f.weight} ${f.unicodeRange.slice(0, 24)}`)
    return `fonts are still loading (${loading.length}: ${loading.slice(0, 3).join('; ')})`
  }
  return ''
}

/**
 * Waits until slide `n` is shown and finished drawing (fonts, async components, Mermaid, its
 * transition); a timeout names what was still pending.
 */
export async function waitForSlide(page: Page, n: number, timeout = 30_000): Promise<void> {
  const slide = page.locator(`.slidev-page[data-slidev-no="${n}"]`)
  await slide.waitFor({ state: 'visible', timeout })
  try {
    await page.waitForFunction(`!(${pendingOnSlide.toString()})(${n})`, undefined, { timeout, polling: 50 })
  }
  catch (e) {
    const pending = await page.evaluate(`(${pendingOnSlide.toString()})(${n})`).catch(() => '') as string
    const reason = pending && `: ${pending}`
    throw new Error(`${(e as Error).message.split('\n')[0]}${reason}`)
  }
  await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))
}

/**
 * Every text the page lays out while slide `n` is shown: the slide (SVG labels and text made by
 * components included) and Slidev's own controls (the slide counter, screen-reader labels, the
 * placeholder of its hidden Goto box), since laying text out is what makes the browser download
 * a font. Text under `display: none`, such as the slides kept mounted around the current one, is
 * left out as the browser leaves it out.
 */
export function laidOutText(page: Page, n: number): Promise<string> {
  return page.evaluate((no) => {
    const parts = [document.querySelector(`.slidev-page[data-slidev-no="${no}"]`)?.textContent ?? '']
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.checkVisibility())
        parts.push(node.textContent ?? '')
    }
    for (const el of document.body.querySelectorAll('*')) {
      if (!el.checkVisibility())
        continue
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)
        parts.push(el.placeholder, el.value)
      // Generated content: the quoted strings of `content` (counters and attr() are left out).
      for (const pseudo of ['::before', '::after']) {
        for (const m of getComputedStyle(el, pseudo).content.matchAll(/"((?:[^"\\]|\\.)*)"/g))
          parts.push(m[1]!)
      }
    }
    return parts.join('\n')
  }, n)
}

async function shoot(page: Page, url: string, n: number, path: string, log?: (line: string) => void): Promise<string> {
  // All clicks revealed: the thumbnail shows the slide as it ends.
  const target = `${url}${n}?clicks=999`
  // Within a deck already loaded, the app's router moves to the slide (a reload per slide costs
  // the whole boot); the first slide of each deck, or a router that is not there, loads the page.
  const moved = page.url().startsWith(url) && await page.evaluate((to) => {
    const app = (document.querySelector('#app') as (Element & { __vue_app__?: any }) | null)?.__vue_app__
    const router = app?.config?.globalProperties?.$router
    if (!router)
      return false
    void router.push(to)
    return true
  }, target.slice(new URL(url).origin.length + new URL(url).pathname.length - 1)).catch(() => false)
  if (!moved)
    await page.goto(target, { waitUntil: 'load' })
  try {
    await waitForSlide(page, n, moved ? 15_000 : 30_000)
  }
  catch (e) {
    if (!moved)
      throw e
    // A slide that never settles after an in-app move is loaded afresh once (no transition runs on
    // a first load); the line says so, so a deck that keeps needing it gets looked at.
    log?.(`thumbnails: ${url}${n} did not settle (${(e as Error).message}); loading it directly`)
    await page.goto(target, { waitUntil: 'load' })
    await waitForSlide(page, n)
  }
  await page.screenshot({ path, animations: 'disabled' })
  return laidOutText(page, n)
}

/**
 * Slidev letterboxes the canvas (980x552, a hair off 16:9) in black; in a 16:9 picture that black
 * shows as a one-pixel line down both sides. Pictures of a slide take the slide's own background
 * there instead; the live deck keeps its black bars.
 */
function letterboxInSlideBackground() {
  document.addEventListener('DOMContentLoaded', () => {
    const style = document.createElement('style')
    style.textContent = ':root{--slidev-slide-container-background:var(--talk-bg,#fff)}'
    document.head.append(style)
  })
}

export interface ThumbOptions {
  /** Pages rendered at once (default 2). */
  concurrency?: number
  log?: (line: string) => void
}

/** The text laid out with each slide at its last click, by deck slug (index 0 is slide 1). */
export type SlideTexts = Map<string, string[]>

/**
 * Renders every job's thumbnails and returns the text each slide showed (the font subsets are
 * cut to it); throws naming the deck and slide that failed.
 */
export async function renderThumbnails(browser: Browser, jobs: ThumbJob[], options: ThumbOptions = {}): Promise<SlideTexts> {
  const texts: SlideTexts = new Map(jobs.map(j => [j.slug, []]))
  if (!jobs.length)
    return texts
  const contexts: BrowserContext[] = []
  try {
    const thumbCtx = await browser.newContext({
      viewport: {
        width: CANVAS_WIDTH,
        height: Math.round(CANVAS_WIDTH * 9 / 16),
      },
      deviceScaleFactor: THUMB_WIDTH / CANVAS_WIDTH,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    })
    const ogCtx = await browser.newContext({
      viewport: { width: OG_WIDTH, height: OG_HEIGHT },
      colorScheme: 'light',
      reducedMotion: 'reduce',
    })
    contexts.push(thumbCtx, ogCtx)
    for (const ctx of contexts)
      await ctx.addInitScript(letterboxInSlideBackground)
    const tasks: { job: ThumbJob, n: number, og: boolean }[] = []
    for (const job of jobs) {
      await mkdir(join(job.dir, 'thumbs'), { recursive: true })
      tasks.push({ job, n: 1, og: true })
      for (let n = 1; n <= job.slides; n++)
        tasks.push({ job, n, og: false })
    }
    const concurrency = Math.max(1, options.concurrency ?? 2)
    let next = 0
    const worker = async () => {
      const pages = { thumb: await thumbCtx.newPage(), og: await ogCtx.newPage() }
      try {
        while (next < tasks.length) {
          const { job, n, og } = tasks[next++]!
          try {
            if (og) {
              await shoot(pages.og, job.url, n, join(job.dir, 'og.png'), options.log)
            }
            else {
              const text = await shoot(pages.thumb, job.url, n, join(job.dir, 'thumbs', `${n}.png`), options.log)
              texts.get(job.slug)![n - 1] = text
            }
          }
          catch (e) {
            throw new Error(`thumbnail of ${job.slug} slide ${n} failed: ${(e as Error).message.split('\n')[0]}`)
          }
        }
      }
      finally {
        await pages.thumb.close()
        await pages.og.close()
      }
    }
    await Promise.all(Array.from({
      length: Math.min(concurrency, tasks.length),
    }, worker))
    options.log?.(`thumbnails: ${jobs.map(j => `${j.slug} (${j.slides})`).join(', ')}`)
    return texts
  }
  finally {
    for (const c of contexts)
      await c.close()
  }
}
