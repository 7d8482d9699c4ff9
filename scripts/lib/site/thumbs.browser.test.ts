import type { Browser, Page } from 'playwright-chromium'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchBrowser } from '../browser.ts'
import { waitForSlide } from './thumbs.ts'

/**
 * The signal the slide pictures (and the keyboard walk of the site test) wait on, checked on
 * hand-made pages shaped like Slidev's: `.slidev-page[data-slidev-no]` inside the slideshow.
 */
function slidePage(slide: { style?: string, className?: string, css?: string }): string {
  return `<!doctype html><html><head><style>${slide.css ?? ''}</style></head><body>
    <div id="slideshow"><div class="slidev-page ${slide.className ?? ''}" data-slidev-no="3" style="${slide.style ?? ''}">
      <h1>スライド 3</h1></div></div></body></html>`
}

let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
})

beforeEach(async () => {
  page = await browser.newPage()
  return () => page.close()
})

afterAll(async () => {
  await browser?.close()
})

describe('waitForSlide', () => {
  it('takes a slide whose transition class was left behind once nothing moves and it is fully shown', async () => {
    // The state that stalled a CI build: Vue never removed `fade-enter-active`, though the fade was over.
    await page.setContent(slidePage({
      className: 'fade-enter-active',
      css: '.fade-enter-active { transition: opacity .6s ease }',
    }))
    await expect(waitForSlide(page, 3, 2_000)).resolves.toBeUndefined()
  })

  it('waits for a running transition to end', async () => {
    await page.setContent(slidePage({
      style: 'opacity: 0',
      css: '.slidev-page { transition: opacity .4s linear }',
    }))
    const started = await page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('.slidev-page')!
      void el.offsetWidth
      el.style.opacity = '1'
      return performance.now()
    })
    await waitForSlide(page, 3, 5_000)
    const settled = await page.evaluate(() => ({
      now: performance.now(),
      opacity: getComputedStyle(document.querySelector('.slidev-page')!).opacity,
      running: document.getAnimations().filter(a => a.playState === 'running').length,
    }))
    expect(settled.opacity).toBe('1')
    expect(settled.running).toBe(0)
    expect(settled.now - started).toBeGreaterThanOrEqual(350)
  })

  it('names what it waited for when a slide never becomes fully shown', async () => {
    await page.setContent(slidePage({ className: 'fade-enter-from', style: 'opacity: 0.2' }))
    await expect(waitForSlide(page, 3, 500)).rejects.toThrow(/slide 3 is not fully shown \(opacity 0\.2, classes "slidev-page fade-enter-from/)
  })

  it('names the slide it looked for when the page does not have it', async () => {
    await page.setContent(slidePage({}))
    await expect(waitForSlide(page, 4, 500)).rejects.toThrow(/data-slidev-no="4"/)
  })

  it('ignores animations that never end (a spinner on the slide does not hold the picture back)', async () => {
    await page.setContent(slidePage({
      css: '@keyframes spin { to { transform: rotate(1turn) } } h1 { animation: spin 1s linear infinite }',
    }))
    await expect(waitForSlide(page, 3, 2_000)).resolves.toBeUndefined()
  })
})
