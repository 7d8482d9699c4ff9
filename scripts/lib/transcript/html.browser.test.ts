/**
 * The transcript page in a real browser, JavaScript off: readable, offline, accessible (axe),
 * side by side on a desktop and stacked without horizontal scrolling on a phone.
 */
import type { Browser } from 'playwright-chromium'
import type { SiteServer } from '../site/server.ts'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../browser.ts'
import { loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { startSiteServer } from '../site/server.ts'
import { findFallbackGlyphs } from '../testing/rendered-fonts.ts'
import { writeTranscripts } from './index.ts'

/** Ports 3600-3649 belong to the transcript tests. */
const PORT = 3600
// A 16x9 grey PNG stands in for the thumbnails `npm run build` renders.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABAAAAAJCAIAAAC0SDtlAAAAFklEQVR4nGNsaGhgIAUwkaR6VMPIAQCQeQFGbmcSlwAAAABJRU5ErkJggg==', 'base64')

let root: string
let server: SiteServer
let browser: Browser
let slides = 0

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'transcript-page-'))
  const deck = loadDeck(join(repoRoot, 'scripts/fixtures/_transcript'), '_transcript')
  const [result] = await writeTranscripts([deck], { outRoot: root, base: '/' })
  slides = result!.talk.slides.length
  mkdirSync(join(root, deck.slug, 'thumbs'), { recursive: true })
  for (let n = 1; n <= slides; n++)
    writeFileSync(join(root, deck.slug, 'thumbs', `${n}.png`), PNG)
  server = await startSiteServer({
    root,
    port: PORT,
    portAttempts: 50,
    redirects: false,
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  rmSync(root, { recursive: true, force: true })
})

/**
 * `js: false` proves the page needs no script; measuring and axe inject scripts of their own, so
 * they run with JavaScript on (the page has no script either way, so it renders the same).
 */
async function open(width: number, colorScheme: 'light' | 'dark' = 'light', js = true) {
  const context = await browser.newContext({
    javaScriptEnabled: js,
    viewport: { width, height: 900 },
    colorScheme,
  })
  const page = await context.newPage()
  const requests: string[] = []
  const failed: string[] = []
  page.on('request', r => void requests.push(r.url()))
  page.on('requestfailed', r => void failed.push(r.url()))
  page.on('response', (r) => {
    if (r.status() >= 400)
      failed.push(`${r.status()} ${r.url()}`)
  })
  await page.goto(`${server.url}_transcript/transcript/`, { waitUntil: 'load', timeout: 30_000 })
  return { context, page, requests, failed }
}

describe('transcript page', () => {
  it('reads without JavaScript', async () => {
    const { context, page, failed } = await open(1280, 'light', false)
    expect(await page.getAttribute('html', 'lang')).toBe('ja')
    expect(await page.locator('main').textContent()).toContain('使った分だけ払えばよく、負荷に合わせて増えたり減ったりします。')
    // The text needs no script: the only scripts are data (JSON-LD) and the reading view's turn-to-landscape hop.
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBeLessThanOrEqual(1)
    expect(failed).toEqual([])
    await context.close()
  })

  it('loads only from the site, passes axe and puts text beside thumbnails on a desktop', async () => {
    const { context, page, requests, failed } = await open(1280)
    expect(await page.locator('header, main, nav, footer').count()).toBe(4)
    expect(await page.locator('main img').count()).toBe(slides)
    for (const alt of await page.locator('main img').evaluateAll(imgs => imgs.map(i => (i as HTMLImageElement).alt)))
      expect(alt).toMatch(/^スライド \d+: \S/)
    expect(await page.locator('#slide-4 a').first().evaluate(a => (a as HTMLAnchorElement).href)).toBe(`${server.url}_transcript/4?view=deck`)
    expect(await page.locator('main img').evaluateAll(imgs => imgs.every(i => (i as HTMLImageElement).naturalWidth > 0))).toBe(true)
    expect(requests.filter(u => !u.startsWith(server.origin) && !u.startsWith('data:'))).toEqual([])
    expect(failed).toEqual([])
    const axe = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] }).analyze()
    expect(axe.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])
    // Thumbnail and text side by side on a desktop.
    const fig = (await page.locator('#slide-4 figure').boundingBox())!
    const text = (await page.locator('#slide-4 .text').boundingBox())!
    expect(text.x).toBeGreaterThan(fig.x + fig.width)
    // The page ships its own cut of the typeface: no glyph comes from the machine's fonts.
    await page.evaluate(() => document.fonts.ready)
    expect(await findFallbackGlyphs(page, { root: 'body' })).toEqual([])
    await context.close()
  })

  it('stacks on a phone without horizontal scrolling, in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { context, page } = await open(360, scheme)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
      const fig = (await page.locator('#slide-4 figure').boundingBox())!
      const text = (await page.locator('#slide-4 .text').boundingBox())!
      expect(text.y).toBeGreaterThanOrEqual(fig.y + fig.height)
      const size = await page.locator('#slide-4 .text p').first().evaluate(p => Number.parseFloat(getComputedStyle(p).fontSize))
      expect(size).toBeGreaterThanOrEqual(16)
      const axe = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] }).withTags(['wcag2aa']).analyze()
      expect(axe.violations.map(v => `${scheme} ${v.id}`)).toEqual([])
      await context.close()
    }
  })
})
