/**
 * The hosted site end to end: `npm run build` (under a sub-path, as on a GitHub Pages project
 * site), then `npm run preview`, then the audience's path through it in Chromium: the index, each
 * talk's link, every click of every slide by keyboard, deep links through both fallbacks.
 * One build serves every assertion; a second build must rebuild nothing.
 */
import type { Browser, Page } from 'playwright-chromium'
import type { BuildReport } from '../lib/site/build-site.ts'
import type { RunningServer } from '../lib/testing/dev-server.ts'
import type { PageWatch } from '../lib/testing/page-watch.ts'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { getDocumentProxy } from 'unpdf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditDeck, formatFinding } from '../lib/a11y/audit.ts'
import { pdfProblems, readPdf } from '../lib/a11y/pdf-reading.ts'
import { launchBrowser } from '../lib/browser.ts'
import { scanDecks } from '../lib/decks.ts'
import { repoRoot } from '../lib/paths.ts'
import { cleanTitle } from '../lib/pdf/outline.ts'
import { readSlideInfo } from '../lib/pdf/slides.ts'
import { deckFontCoverage } from '../lib/site/font-subset.ts'
import { laidOutText, waitForSlide } from '../lib/site/thumbs.ts'
import { walkDeck } from '../lib/site/walk.ts'
import { startCli } from '../lib/testing/dev-server.ts'
import { findOverflowInPage } from '../lib/testing/overflow.ts'
import { watchPage } from '../lib/testing/page-watch.ts'
import { findFallbackGlyphs } from '../lib/testing/rendered-fonts.ts'

const BASE = '/talks/'
const PORT = 3510
const PAGES_PORT = 3511
const EXTERNAL = /fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|plantuml\.com|unpkg\.com|esm\.sh|cdnjs\.cloudflare/

const work = mkdtempSync(join(tmpdir(), 'site-browser-'))
const out = join(work, 'dist')
const cacheDir = join(work, 'cache')

// Every public deck; before any exists, the starter deck (hidden, so asked for by name).
const publicDecks = scanDecks().decks.filter(d => !d.hidden)
const deckArgs = publicDecks.length
  ? []
  : ['_starter']
const slugs = publicDecks.length
  ? publicDecks.map(d => d.slug)
  : ['_starter']

function runBuild(reportFile: string): Promise<{ code: number, output: string, report?: BuildReport }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      join(repoRoot, 'scripts/cli.ts'),
      'build',
      ...deckArgs,
      '--out',
      out,
      '--cache-dir',
      cacheDir,
      '--base',
      BASE,
      '--quiet',
      '--report',
      reportFile,
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
    child.on('exit', code => resolve({
      code: code ?? 1,
      output,
      report: existsSync(reportFile)
        ? JSON.parse(readFileSync(reportFile, 'utf8')) as BuildReport
        : undefined,
    }))
  })
}

let first: Awaited<ReturnType<typeof runBuild>>
let second: Awaited<ReturnType<typeof runBuild>>
let preview: RunningServer
let pagesPreview: RunningServer
let browser: Browser
const origin = `http://127.0.0.1:${PORT}`
const pagesOrigin = `http://127.0.0.1:${PAGES_PORT}`

beforeAll(async () => {
  first = await runBuild(join(work, 'report-1.json'))
  if (first.code !== 0)
    throw new Error(`npm run build failed (exit ${first.code}):\n${first.output.slice(-4000)}`)
  second = await runBuild(join(work, 'report-2.json'))
  if (second.code !== 0)
    throw new Error(`second npm run build failed (exit ${second.code}):\n${second.output.slice(-4000)}`)
  preview = await startCli([
    'preview',
    '--dir',
    out,
    '--port',
    String(PORT),
    '--base',
    BASE,
  ], `${origin}${BASE}`)
  pagesPreview = await startCli([
    'preview',
    '--dir',
    out,
    '--port',
    String(PAGES_PORT),
    '--base',
    BASE,
    '--github-pages',
  ], `${pagesOrigin}${BASE}`)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await preview?.stop()
  await pagesPreview?.stop()
  rmSync(work, { recursive: true, force: true })
})

async function newPage(): Promise<{ page: Page, watch: PageWatch }> {
  // A context of our own per page: axe-core's Playwright binding refuses pages made by browser.newPage().
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
  })
  const page = await context.newPage()
  page.once('close', () => void context.close())
  return {
    page,
    watch: watchPage(page, [origin, pagesOrigin]),
  }
}

function expectClean(watch: PageWatch, where: string) {
  expect(watch.external, `${where}: requests to other origins`).toEqual([])
  expect(watch.failed, `${where}: failed requests`).toEqual([])
  expect(watch.consoleErrors, `${where}: console errors`).toEqual([])
}

describe('npm run build', () => {
  it('builds every deck, then rebuilds nothing when nothing changed', () => {
    expect(first.report!.built.sort()).toEqual([...slugs].sort())
    expect(second.report!.built).toEqual([])
    expect(second.report!.reused.sort()).toEqual([...slugs].sort())
  })

  it('writes the site: index, fallbacks, thumbnails of every slide, social cards', () => {
    for (const f of [
      'index.html',
      '404.html',
      '_redirects',
      '.nojekyll',
    ])
      expect(existsSync(join(out, f)), f).toBe(true)
    for (const d of first.report!.decks) {
      const thumbs = readdirSync(join(out, d.slug, 'thumbs'))
      expect(thumbs.length, `${d.slug} thumbnails`).toBe(d.slides)
      expect(existsSync(join(out, d.slug, 'og.png'))).toBe(true)
      expect(existsSync(join(out, d.slug, '404.html')), `${d.slug} keeps no per-deck 404.html`).toBe(false)
      const html = readFileSync(join(out, d.slug, 'index.html'), 'utf8')
      expect(html).toContain(`<meta property="og:image" content="${BASE}${d.slug}/og.png">`)
      expect(html).toContain('<meta name="twitter:card" content="summary_large_image">')
    }
    // The second build left nothing behind next to the output.
    expect(readdirSync(work).filter(n => n.startsWith('.dist.'))).toEqual([])
  })

  it('prints PDFs whose closing slide names the deck under the site base, with no link to the print server', async () => {
    for (const slug of slugs) {
      const pdf = await getDocumentProxy(new Uint8Array(readFileSync(join(out, slug, `${slug}.pdf`))), { verbosity: 0 })
      const last = await pdf.getPage(pdf.numPages)
      const text = (await last.getTextContent()).items.map(i => ('str' in i
        ? i.str
        : '')).join('')
      expect(text, slug).toContain(`${BASE}${slug}/`)
      for (let n = 1; n <= pdf.numPages; n++) {
        const urls = (await (await pdf.getPage(n)).getAnnotations()).map(a => String(a.url ?? ''))
        expect(urls.filter(u => /^https?:\/\/(?:127\.0\.0\.1|localhost)\b/.test(u)), `${slug} page ${n}`).toEqual([])
      }
    }
  })

  it('ships nothing that loads from another origin, and no presenter view', () => {
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, e.name)
        if (e.isDirectory())
          walk(full)
        else if (/\.(?:html|js|css)$/.test(e.name) && EXTERNAL.test(readFileSync(full, 'utf8')))
          offenders.push(full.slice(out.length))
      }
    }
    walk(out)
    expect(offenders).toEqual([])
    for (const slug of slugs)
      expect(readdirSync(join(out, slug, 'assets')).filter(f => /^presenter.*\.js$/.test(f)), slug).toEqual([])
  })
})

describe('the site in a browser', () => {
  it('has an index that passes axe-core and links to every talk', async () => {
    const { page, watch } = await newPage()
    await page.goto(`${origin}${BASE}`)
    expect(await page.getAttribute('html', 'lang')).toBe('ja')
    // Data (JSON-LD) and the search box's loader only: the list of talks needs no script.
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBeLessThanOrEqual(1)
    for (const slug of slugs)
      expect(await page.locator(`h2 a[href="${slug}/"]`).count(), slug).toBe(1)
    // @axe-core/playwright is typed against its own copy of playwright-core; the page is the same at run time.
    const axe = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] }).analyze()
    const bad = axe.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    expect(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)).toEqual([])
    // Every link of the index that stays on the site answers.
    const hrefs = await page.locator('a[href]').evaluateAll(as => as.map(a => (a as HTMLAnchorElement).href))
    for (const href of hrefs.filter(h => h.startsWith(origin))) {
      const res = await page.request.get(href)
      expect(res.status(), href).toBe(200)
    }
    const imgs = await page.locator('img').evaluateAll(is => is.map(i => (i as HTMLImageElement).naturalWidth))
    expect(imgs.every(w => w > 0)).toBe(true)
    // The index ships its own cut of the typeface: no glyph comes from the machine's fonts.
    await page.evaluate(() => document.fonts.ready)
    expect(await findFallbackGlyphs(page, { root: 'body' })).toEqual([])
    expectClean(watch, 'index')
    await page.close()
  })

  for (const slug of slugs) {
    it(`${slug}: follows the index link and walks every slide by keyboard`, async () => {
      const { page, watch } = await newPage()
      await page.goto(`${origin}${BASE}`)
      await page.locator(`h2 a[href="${slug}/"]`).click()
      await page.waitForURL(u => u.pathname === `${BASE}${slug}/1`)
      await waitForSlide(page, 1)
      const overflow: string[] = []
      const fallbacks: string[] = []
      const shown = new Map<number, string>()
      const check = async (n: number) => {
        const found = await page.evaluate(findOverflowInPage, 1)
        overflow.push(...found.map(f => `slide ${n}: ${f}`))
        // The site's fonts are cut to the deck's characters: every glyph must still come from them.
        for (const f of await findFallbackGlyphs(page))
          fallbacks.push(`slide ${n}: "${f.text}" has ${f.glyphs} glyph(s) drawn with ${f.font}`)
        shown.set(n, `${shown.get(n) ?? ''}${await laidOutText(page, n)}`)
      }
      await check(1)
      const seen = new Set([1])
      const steps = await walkDeck(page, `${BASE}${slug}/`, {
        onStep: async (step) => {
          if (!seen.has(step.slide) || step.url.includes('clicks='))
            await check(step.slide)
          seen.add(step.slide)
        },
      })
      const slides = first.report!.decks.find(d => d.slug === slug)!.slides
      expect(steps.at(-1)?.slide ?? 1, 'the walk reaches the last slide').toBe(slides)
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: slides }, (_, i) => i + 1))
      expect([
        ...new Set(overflow),
      ]).toEqual([])
      expect([
        ...new Set(fallbacks),
      ], 'glyphs drawn with a font of the machine').toEqual([])
      // On a machine without Japanese fonts a missing glyph is a blank box drawn with the web font
      // itself, so the characters shown are also checked against what the subsets hold.
      const coverage = await deckFontCoverage(join(out, slug))
      for (const weight of [400, 700]) {
        const missing = [...shown].flatMap(([n, text]) => {
          const lacking = [
            ...new Set(text),
          ].filter(ch => ch.codePointAt(0)! >= 0x20 && !coverage.get(weight)?.has(ch.codePointAt(0)!))
          return lacking.length
            ? [`slide ${n}: ${lacking.join('')}`]
            : []
        })
        expect(missing, `characters the ${weight} subset lacks`).toEqual([])
      }
      expectClean(watch, slug)
      await page.close()
    })
  }

  it('draws slide pictures edge to edge, without the black letterbox of the live deck', async () => {
    const { page } = await newPage()
    const edges: string[] = []
    for (const slug of slugs) {
      for (const file of ['og.png', 'thumbs/1.png']) {
        const png = readFileSync(join(out, slug, file)).toString('base64')
        // Left, right and top edge pixels against the pixel a few pixels further in.
        const found = await page.evaluate(async (data) => {
          const img = new Image()
          img.src = `data:image/png;base64,${data}`
          await img.decode()
          const canvas = document.createElement('canvas')
          canvas.width = img.width
          canvas.height = img.height
          const ctx = canvas.getContext('2d')!
          ctx.drawImage(img, 0, 0)
          const at = (x: number, y: number) => [
            ...ctx.getImageData(x, y, 1, 1).data.slice(0, 3),
          ].join(',')
          const y = Math.floor(img.height / 2)
          const x = Math.floor(img.width / 2)
          return [
            [
              at(0, y),
              at(4, y),
            ],
            [
              at(img.width - 1, y),
              at(img.width - 5, y),
            ],
            [
              at(x, 0),
              at(x, 4),
            ],
          ].filter(([edge, inside]) => edge !== inside).map(([edge, inside]) => `${edge} at the edge, ${inside} inside`)
        }, png)
        edges.push(...found.map(f => `${slug}/${file}: ${f}`))
      }
    }
    expect(edges).toEqual([])
    await page.close()
  })

  it('opens deep links through _redirects and through the GitHub Pages 404.html', async () => {
    const slug = slugs[0]!
    const slides = first.report!.decks.find(d => d.slug === slug)!.slides
    const n = Math.min(3, slides)
    for (const host of [origin, pagesOrigin]) {
      const { page, watch } = await newPage()
      await page.goto(`${host}${BASE}${slug}/${n}`)
      await waitForSlide(page, n)
      expect(new URL(page.url()).pathname, host).toBe(`${BASE}${slug}/${n}`)
      expect(await page.locator(`.slidev-page[data-slidev-no="${n}"]`).isVisible()).toBe(true)
      // The GitHub Pages route answers 404 first (that is how the fallback works), so only the other requests count.
      expectClean({
        ...watch,
        failed: watch.failed.filter(f => !f.includes(`${slug}/${n} (HTTP 404)`)),
        consoleErrors: watch.consoleErrors.filter(e => !/status of 404/.test(e)),
      }, host)
      await page.close()
    }
    const missing = await fetch(`${origin}${BASE}no-such-talk/`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('ページが見つかりません')
  })

  it('has no presenter view in the public build', async () => {
    const { page } = await newPage()
    await page.goto(`${origin}${BASE}${slugs[0]}/presenter`)
    await page.waitForLoadState('networkidle')
    expect(await page.locator('.slidev-presenter, .presenter').count()).toBe(0)
    expect(await page.locator('.slidev-note, .slidev-presenter-notes').count()).toBe(0)
    await page.close()
  })
})

describe('accessibility of every slide and of every PDF', () => {
  const diagrams = new Map<string, string[]>()
  for (const slug of slugs) {
    it(`${slug}: axe-core finds no serious or critical violation on any slide, every click shown, light and dark`, async () => {
      const findings: string[] = []
      for (const scheme of ['light', 'dark'] as const) {
        // Slidev's exporter page shows every slide with all its clicks: one load audits the deck.
        const audit = await auditDeck(browser, `${origin}${BASE}${slug}/`, { deck: slug, scheme })
        expect(audit.slides.length, `${slug}: slides audited`).toBe(first.report!.decks.find(d => d.slug === slug)!.slides)
        diagrams.set(slug, audit.diagrams.map(d => d.name))
        findings.push(...audit.findings.map(formatFinding))
      }
      expect(findings).toEqual([])
    })

    it(`${slug}: the PDF has a structure tree poppler accepts, its language, page labels equal to slide numbers, bookmarks by section, links that land, Figures named like the diagrams`, async () => {
      const deck = scanDecks().decks.find(d => d.slug === slug)!
      const slides = await readSlideInfo(deck)
      expect(diagrams.has(slug), 'the audit of this deck ran first').toBe(true)
      const reading = await readPdf(join(out, slug, `${slug}.pdf`))
      expect(pdfProblems(reading, {
        lang: deck.meta.talk.lang,
        slides: slides.map(s => s.no),
        sections: slides.filter(s => s.layout === 'section' && s.title).map(s => cleanTitle(s.title!)),
        diagrams: diagrams.get(slug)!,
      })).toEqual([])
    })
  }
})
