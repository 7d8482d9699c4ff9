/**
 * The audience after the QR code, on the built site: a phone in portrait gets the reading view
 * (deep links land on their slide, no horizontal scroll, every slide with its words), landscape
 * and links give the deck, swipes move through it; the index searches what was said in Japanese,
 * loading the search only once the reader types; feed, sitemap and JSON-LD are there and a second
 * build writes the same bytes. Nothing is requested from another origin anywhere.
 */
import type { Browser, BrowserContext, Page } from 'playwright-chromium'
import type { Talk } from '../transcript/model.ts'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { devices } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../browser.ts'
import { scanDecks } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { watchPage } from '../testing/page-watch.ts'
import { loadTalk } from '../transcript/model.ts'
import { blocksText } from '../transcript/prose.ts'
import { startSiteServer } from './server.ts'

const BASE = '/talks/'
const SITE_URL = 'https://talks.example.com'
const work = mkdtempSync(join(tmpdir(), 'audience-'))
const cacheDir = join(work, 'cache')
const decks = scanDecks().decks.filter(d => !d.hidden)
const DECK = '2024-09-20-serverless-update-2024'
const phone = devices['Pixel 7']!
const phoneLandscape = devices['Pixel 7 landscape']!

function build(out: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      join(repoRoot, 'scripts/cli.ts'),
      'build',
      '--out',
      out,
      '--cache-dir',
      cacheDir,
      '--base',
      BASE,
      '--site-url',
      SITE_URL,
      '--no-pdf',
      '--quiet',
    ], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', reject)
    child.on('exit', code => (code === 0
      ? resolve(output)
      : reject(new Error(`build exited ${code}:\n${output.slice(-4000)}`))))
  })
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(f => f.isFile())
    .map(f => relative(dir, join(f.parentPath, f.name)))
    .sort()
}

let server: Awaited<ReturnType<typeof startSiteServer>>
let browser: Browser
const talks = new Map<string, Talk>()
const out = join(work, 'a')

beforeAll(async () => {
  await build(out)
  server = await startSiteServer({ root: out, base: BASE, port: 0 })
  browser = await launchBrowser()
  for (const d of decks)
    talks.set(d.slug, await loadTalk(d))
}, 1_800_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  rmSync(work, { recursive: true, force: true })
})

async function open(context: BrowserContext, path: string): Promise<{ page: Page, watch: ReturnType<typeof watchPage> }> {
  const page = await context.newPage()
  const watch = watchPage(page, [server.origin])
  await page.goto(`${server.url}${path}`, { waitUntil: 'load' })
  return { page, watch }
}

function expectClean(watch: ReturnType<typeof watchPage>) {
  expect(watch.external, 'requests to another origin').toEqual([])
  expect(watch.failed, 'failed requests').toEqual([])
  expect(watch.consoleErrors, 'console errors').toEqual([])
}

describe('a phone in portrait: the reading view', () => {
  it('a deep link to slide 12 lands on slide 12 of the reading view, every slide with its words, no horizontal scroll', async () => {
    const context = await browser.newContext({ ...phone })
    const { page, watch } = await open(context, `${DECK}/12`)
    await page.waitForURL(`**/${DECK}/transcript/#slide-12`, { timeout: 30_000 })
    await page.waitForLoadState('load')
    const slide12 = await page.locator('#slide-12').boundingBox()
    expect(slide12, 'slide 12 is on the page').not.toBeNull()
    expect(Math.abs(slide12!.y), 'slide 12 is at the top of the screen').toBeLessThan(40)
    const talk = talks.get(DECK)!
    const shown = await page.$$eval('.slide', els => els.map(e => ({
      id: e.id,
      img: e.querySelector('img')?.getAttribute('src') ?? '',
      text: (e.querySelector('.text')!.textContent ?? '').trim(),
    })))
    expect(shown.map(s => s.id)).toEqual(talk.slides.map(s => `slide-${s.no}`))
    for (const [i, s] of shown.entries()) {
      const words = blocksText(talk.slides[i]!.prose).trim()
      if (words)
        expect(s.text.length, `slide ${i + 1} shows its words`).toBeGreaterThan(0)
      // The picture of the slide with all its clicks shown is in the site.
      const res = await page.request.get(new URL(s.img, page.url()).href)
      expect(res.status(), s.img).toBe(200)
      expect(res.headers()['content-type']).toBe('image/png')
    }
    const scroll = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, view: window.innerWidth }))
    expect(scroll.width, 'no horizontal scroll').toBeLessThanOrEqual(scroll.view)
    // Every picture is drawn once scrolled to (lazy loading), all the way down.
    await page.evaluate(async () => {
      for (const img of document.querySelectorAll('.slide img')) {
        img.scrollIntoView()
        await new Promise(r => setTimeout(r, 30))
      }
    })
    await page.waitForFunction(() => [
      ...document.querySelectorAll<HTMLImageElement>('.slide img'),
    ].every(i => i.complete && i.naturalWidth > 0), undefined, { timeout: 60_000 })
    expectClean(watch)
    await context.close()
  })

  it('a slide\'s link gives the deck at that slide, and the deck stays the deck for the visit', async () => {
    const context = await browser.newContext({ ...phone })
    const { page, watch } = await open(context, `${DECK}/transcript/#slide-5`)
    await page.locator('#slide-5 figcaption a', { hasText: 'スライドで開く' }).click()
    await page.waitForURL(`**/${DECK}/5`, { timeout: 30_000 })
    await page.locator('.slidev-page[data-slidev-no="5"]').waitFor({ timeout: 30_000 })
    expect(new URL(page.url()).search).toBe('')
    // A later deep link in the same tab keeps the deck.
    await page.goto(`${server.url}${DECK}/7`)
    await page.locator('.slidev-page[data-slidev-no="7"]').waitFor({ timeout: 30_000 })
    expect(page.url()).toMatch(new RegExp(`/${DECK}/7$`))
    expectClean(watch)
    await context.close()
  })

  it('turning the phone to landscape gives the deck at the slide being read, and back', async () => {
    const context = await browser.newContext({ ...phone })
    const { page, watch } = await open(context, `${DECK}/9`)
    await page.waitForURL(`**/transcript/#slide-9`, { timeout: 30_000 })
    await page.setViewportSize(phoneLandscape.viewport)
    await page.waitForURL(`**/${DECK}/9`, { timeout: 30_000 })
    await page.locator('.slidev-page[data-slidev-no="9"]').waitFor({ timeout: 30_000 })
    await page.setViewportSize(phone.viewport)
    await page.waitForURL(`**/transcript/#slide-9`, { timeout: 30_000 })
    expectClean(watch)
    await context.close()
  })
})

describe('a phone in landscape: the deck', () => {
  it('opens the deck (no redirect), swipes move between slides, and a link leads to the reading view', async () => {
    const context = await browser.newContext({ ...phoneLandscape })
    const { page, watch } = await open(context, `${DECK}/3`)
    await page.locator('.slidev-page[data-slidev-no="3"]').waitFor({ timeout: 30_000 })
    expect(page.url()).toMatch(new RegExp(`/${DECK}/3$`))
    const cdp = await context.newCDPSession(page)
    const { width, height } = phoneLandscape.viewport
    const swipe = async (from: number, to: number) => {
      const y = Math.round(height / 2)
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchStart',
        touchPoints: [
          { x: from, y },
        ],
      })
      for (let i = 1; i <= 8; i++) {
        await cdp.send('Input.dispatchTouchEvent', {
          type: 'touchMove',
          touchPoints: [
            {
              x: Math.round(from + (to - from) * i / 8),
              y,
            },
          ],
        })
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    }
    const where = () => page.evaluate(() => location.pathname.split('/').filter(Boolean).at(-1) + location.search)
    const before = await where()
    // Swipe left: forward (the next click, then the next slide).
    for (let i = 0; i < 6 && (await where()).startsWith('3'); i++) {
      await swipe(Math.round(width * 0.8), Math.round(width * 0.2))
      await page.waitForTimeout(400)
    }
    expect(await where()).toMatch(/^4/)
    // Swipe right: back.
    for (let i = 0; i < 6 && (await where()).startsWith('4'); i++) {
      await swipe(Math.round(width * 0.2), Math.round(width * 0.8))
      await page.waitForTimeout(400)
    }
    expect((await where()).startsWith('3'), `back from 4 (was ${before})`).toBe(true)
    const link = page.locator('#talks-reading-view')
    expect(await link.textContent()).toBe('文字起こしで読む')
    await link.click()
    await page.waitForURL(`**/${DECK}/transcript/#slide-3`, { timeout: 30_000 })
    expectClean(watch)
    await context.close()
  })

  it('the transcript page links back to the deck, and the deck to its transcript page', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
    })
    for (const d of decks) {
      const { page, watch } = await open(context, `${d.slug}/`)
      await page.locator('.slidev-page[data-slidev-no="1"]').waitFor({ timeout: 30_000 })
      expect(page.url(), 'a desktop window keeps the deck').toMatch(new RegExp(`/${d.slug}/(1)?$`))
      const href = await page.locator('#talks-reading-view').getAttribute('href')
      expect(href).toBe(`${BASE}${d.slug}/transcript/`)
      await page.goto(`${server.url}${d.slug}/transcript/`)
      expect(await page.locator('.links a', { hasText: 'スライドを開く' }).getAttribute('href')).toBe('../?view=deck')
      expectClean(watch)
      await page.close()
    }
    await context.close()
  })
})

describe('search on the index', () => {
  /** Slides whose words (as published) contain the term, by deck. */
  function expected(term: string): Map<string, number[]> {
    const found = new Map<string, number[]>()
    for (const [slug, talk] of talks) {
      const nos = talk.slides.filter(s => `${s.title}\n${blocksText(s.prose)}`.includes(term)).map(s => s.no)
      if (nos.length)
        found.set(slug, nos)
    }
    return found
  }

  it('loads nothing for search until the reader types, then finds the talks and sections that say it', async () => {
    const context = await browser.newContext({ ...phone })
    const { page, watch } = await open(context, '')
    const searchRequests: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/pagefind/'))
        searchRequests.push(r.url())
    })
    await page.waitForTimeout(500)
    const box = page.locator('#search-q')
    await box.waitFor({ state: 'visible' })
    expect(searchRequests, 'nothing of the search loads with the page').toEqual([])
    await box.focus()
    expect(searchRequests).toEqual([])

    for (const term of ['コレオグラフィ', '従量課金', 'ピタゴラ']) {
      const want = expected(term)
      expect(want.size, `「${term}」 is said in some talk`).toBeGreaterThan(0)
      await box.fill(term)
      await page.locator('#search-status', { hasText: `「${term}」:` }).waitFor({ timeout: 30_000 })
      const hits = await page.$$eval('#search-results li', lis => lis.map(li => ({
        title: li.querySelector('.hit-title')!.textContent,
        // Where the links lead, resolved against the page (from the host's root).
        href: new URL(li.querySelector<HTMLAnchorElement>('.hit-title')!.href).pathname + new URL(li.querySelector<HTMLAnchorElement>('.hit-title')!.href).hash,
        where: li.querySelector('.hit-where')?.textContent ?? '',
        excerpt: li.querySelector('p')?.innerHTML ?? '',
        slide: ((a?: HTMLAnchorElement | null) => (a
          ? new URL(a.href).pathname + new URL(a.href).search
          : ''))(li.querySelector<HTMLAnchorElement>('.hit-links a + a')),
      })))
      expect(hits.length, `hits for 「${term}」`).toBeGreaterThan(0)
      // Every talk that says it is found, and nothing else.
      const slugOf = (href: string) => href.slice(BASE.length).split('/')[0]!
      for (const h of hits)
        expect(h.href.startsWith(BASE), h.href).toBe(true)
      const slugsFound = new Set(hits.map(h => slugOf(h.href)))
      expect([...slugsFound].sort(), `talks found for 「${term}」`).toEqual([
        ...want.keys(),
      ].sort())
      for (const h of hits) {
        const slug = slugOf(h.href)
        const m = h.href.match(/transcript\/#slide-(\d+)$/)
        if (!m)
          continue
        const no = Number(m[1])
        // The hit names the section that holds the slide, and links the slide in the deck.
        const talk = talks.get(slug)!
        const section = talk.sections.find(s => s.slides.some(x => x.no === no))!
        expect(h.where).toContain(section.title ?? '冒頭')
        expect(h.title).toBe(talk.deck.meta.title)
        expect(h.slide).toBe(`${BASE}${slug}/${no}?view=deck`)
        // The words say it (marked in the excerpt), or the slide sits in the section named for it.
        const said = `${talk.slides[no - 1]!.title}\n${blocksText(talk.slides[no - 1]!.prose)}`.includes(term)
        if (said)
          expect(h.excerpt, `${h.href} says 「${term}」`).toContain('<mark>')
        else
          expect(section.title ?? '', `${h.href}: neither its words nor its section say 「${term}」`).toContain(term)
      }
      // The first hit's slide says the term.
      const first = hits.find(h => h.href.includes('#slide-'))!
      const [slug, no] = [
        slugOf(first.href),
        Number(first.href.split('#slide-')[1]),
      ]
      expect(want.get(slug), `first hit ${first.href} says 「${term}」`).toContain(no)
    }
    expect(searchRequests.some(u => u.endsWith('/pagefind/pagefind.js')), 'Pagefind loads once the reader types').toBe(true)

    await box.fill('ズンドコベロンチョ')
    await page.locator('#search-status', { hasText: 'に一致する箇所はありません' }).waitFor({ timeout: 30_000 })
    expect(await page.locator('#search-results li').count()).toBe(0)
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
    expect(scroll, 'no horizontal scroll on the index').toBe(true)
    expectClean(watch)
    await context.close()
  })
})

describe('feed, sitemap and structured data', () => {
  it('the built pages carry JSON-LD that names the right URLs, and the index links the feed', async () => {
    const page = (p: string) => readFileSync(join(out, p), 'utf8')
    const ld = (html: string) => [
      ...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g),
    ].map(m => JSON.parse(m[1]!))
    const index = page('index.html')
    expect(index).toContain(`<link rel="alternate" type="application/atom+xml" title="nekoruri のトーク" href="${SITE_URL}${BASE}feed.xml">`)
    const [idx] = ld(index)
    const list = idx['@graph'].find((n: any) => n['@type'] === 'ItemList')
    expect(list.itemListElement).toHaveLength(decks.length)
    for (const d of decks) {
      const deckUrl = `${SITE_URL}${BASE}${d.slug}/`
      for (const file of [`${d.slug}/index.html`, `${d.slug}/transcript/index.html`]) {
        const [data] = ld(page(file))
        const pres = data['@graph'].find((n: any) => n['@type'] === 'PresentationDigitalDocument')
        expect(pres.url, file).toBe(deckUrl)
        expect(data['@graph'].find((n: any) => n['@type'] === 'Article').url).toBe(`${deckUrl}transcript/`)
        expect(data['@graph'].find((n: any) => n['@type'] === 'Event').startDate).toBe(d.meta.talk.date)
      }
      expect(page(`${d.slug}/transcript/index.html`)).toContain(`<link rel="canonical" href="${deckUrl}transcript/">`)
      expect(page(`${d.slug}/index.html`)).toContain(`<link rel="canonical" href="${deckUrl}">`)
    }
  })

  it('a second build writes the same feed, sitemap, robots.txt, search index and pages', async () => {
    const again = join(work, 'b')
    await build(again)
    const same = [
      'feed.xml',
      'sitemap.xml',
      'robots.txt',
      'index.html',
      ...files(join(out, 'pagefind')).map(f => `pagefind/${f}`),
      ...decks.flatMap(d => [`${d.slug}/index.html`, `${d.slug}/transcript/index.html`]),
    ]
    expect(files(join(again, 'pagefind'))).toEqual(files(join(out, 'pagefind')))
    for (const f of same)
      expect(readFileSync(join(again, f)).equals(readFileSync(join(out, f))), `${f} differs between two builds`).toBe(true)
  }, 1_800_000)
})
