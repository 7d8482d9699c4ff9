/**
 * A slide of the live deck, as the audience sees it: when it has finished drawing (waitForSlide)
 * and which text it lays out (laidOutText). The build takes its pictures from Slidev's /export
 * page instead (pictures.ts); these are for checking the live deck in a browser (tests, checks).
 */
import type { Page } from 'playwright-chromium'

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
