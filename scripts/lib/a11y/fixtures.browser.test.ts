/**
 * The audit and the PDF reading on fixture decks, so that both are shown to catch what they look
 * for (the public decks themselves are audited in scripts/commands/build.browser.test.ts, on the
 * site it builds):
 * - `_a11y-broken` has low-contrast text and an unnamed image: the audit fails it, by slide and element;
 * - `_pdf-structure` has bold, code, a table, a two-column slide, a diagram and every way of writing
 *   a link to a slide: it passes the audit, and its PDF has a structure tree poppler accepts, with
 *   headings, lists, the table and the Figure in slide order, page labels, and links that land.
 */
import type { Browser } from 'playwright-chromium'
import type { Deck } from '../decks.ts'
import type { SiteServer } from '../site/server.ts'
import type { Scheme } from './audit.ts'
import type { PdfReading } from './pdf-reading.ts'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../browser.ts'
import { loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { exportDecksToPdf } from '../pdf/index.ts'
import { buildDeck } from '../site/pipeline.ts'
import { silentProgress } from '../site/progress.ts'
import { startSiteServer } from '../site/server.ts'
import { auditDeck, formatFinding } from './audit.ts'
import { headings, pdfProblems, readPdf } from './pdf-reading.ts'

const work = mkdtempSync(join(tmpdir(), 'a11y-fixtures-'))
// The stage cache stays in the test's folder, away from the developer's.
const cacheDir = join(work, 'cache')
const SITE = { base: '/', url: 'https://talks.example' }

const fixture = (slug: string): Deck => loadDeck(join(repoRoot, 'scripts/fixtures', slug), slug)
const broken = fixture('_a11y-broken')
const structure = fixture('_pdf-structure')
const pdfFile = join(work, `${structure.slug}.pdf`)

let browser: Browser
let server: SiteServer
let reading: PdfReading

beforeAll(async () => {
  const built = await Promise.all([broken, structure].map(deck => buildDeck(deck, { site: SITE, cacheDir, progress: silentProgress })))
  ;[browser, server] = await Promise.all([
    launchBrowser(),
    startSiteServer({ port: 0 }),
  ])
  ;[broken, structure].forEach((d, i) => server.mount({ root: built[i]!, base: `/${d.slug}/` }))
  await exportDecksToPdf([structure], {
    outFile: () => pdfFile,
    cacheDir,
    force: true,
    site: SITE,
    log: () => {},
  })
  reading = await readPdf(pdfFile)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  rmSync(work, { recursive: true, force: true })
})

const deckUrl = (deck: Deck) => `${server.origin}/${deck.slug}/`

describe('the per-slide audit', () => {
  it('fails a deck with low-contrast text and an unnamed image, naming deck, slide and element, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as Scheme[]) {
      const { findings } = await auditDeck(browser, deckUrl(broken), { deck: broken.slug, scheme })
      const lines = findings.map(formatFinding)
      expect(lines.find(l => l.includes('color-contrast')), lines.join('\n'))
        .toMatch(new RegExp(`^_a11y-broken slide 2 \\(${scheme}\\): color-contrast \\[serious\\].*<p [^>]*>背景とほとんど同じ色の文字</p>`))
      expect(lines.find(l => l.includes('image-alt')), lines.join('\n'))
        .toMatch(new RegExp(`^_a11y-broken slide 3 \\(${scheme}\\): image-alt \\[critical\\].*<img src="data:image/svg`))
      // The clean cover is not blamed.
      expect(findings.filter(f => f.slide === 1)).toEqual([])
    }
  })

  it('passes a clean deck with a table, code, two columns, a diagram and links, and names its diagram', async () => {
    const audit = await auditDeck(browser, deckUrl(structure), { deck: structure.slug, scheme: 'light' })
    expect(audit.findings.map(formatFinding)).toEqual([])
    expect(audit.slides).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(audit.diagrams).toEqual([
      {
        slide: 8,
        name: expect.stringMatching(/^サーバーレスを捉える三つの観点/),
      },
    ])
    // The PDF's Figure carries the same name as the diagram on the page.
    expect(pdfProblems(reading, {
      lang: 'ja',
      slides: audit.slides,
      sections: ['構造のセクション', '図のセクション'],
      diagrams: audit.diagrams.map(d => d.name),
    })).toEqual([])
  })
})

describe('the hosted deck', () => {
  it('moves to the slide every agenda link names, and names the audience\'s controls in Japanese', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      locale: 'ja-JP',
    })
    try {
      const page = await context.newPage()
      // <Link to="3">, [](5), [](./diagrams) by route alias, [](#6) (which Vue Router alone would leave on slide 2).
      for (const [name, path] of [
        ['構造のセクション', '3'],
        ['表のスライド', '5'],
        ['図のセクション', 'diagrams'],
        ['二段組のスライド', '6'],
      ]) {
        await page.goto(`${deckUrl(structure)}2`)
        await page.locator('.slidev-page-2').getByRole('link', { name }).click()
        await page.waitForURL(u => u.pathname === `/${structure.slug}/${path}`, { timeout: 10_000 })
      }
      await page.goto(`${deckUrl(structure)}2`)
      await page.locator('.slidev-page-2').waitFor()
      const nav = page.getByRole('navigation', { name: 'スライドの操作' })
      await nav.waitFor({ state: 'attached' })
      for (const name of ['前のスライドへ', '次のスライドへ', 'スライドの一覧を表示'])
        expect(await nav.getByRole('button', { name, exact: true }).count(), name).toBe(1)
      expect(await nav.getByText('スライド 2 / 9').count()).toBe(1)
      await nav.getByRole('button', { name: '次のスライドへ' }).click({ force: true })
      await page.waitForURL(u => u.pathname === `/${structure.slug}/3`)
      // Slidev's controls themselves pass the audit once named (the menu button is no longer a button in a button).
      const axe = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] }).include('nav').analyze()
      expect(axe.violations.map(v => `${v.id}: ${v.nodes.map(n => n.html).join(', ')}`)).toEqual([])
    }
    finally {
      await context.close()
    }
  })
})

describe('the PDF of the structure fixture, read as a reader would', () => {
  it('has headings, lists, bold, code, a table and a Figure, in slide order, and nothing poppler rejects', () => {
    const { lines, errors } = reading.structure
    expect(errors).toEqual([])
    expect(headings(reading.structure)).toEqual([
      'PDF の構造の確認',
      '目次',
      '構造のセクション',
      '強調とコード',
      '表',
      '二段組',
      '図のセクション',
      '三つの観点',
      'ご清聴ありがとうございました',
    ])
    const at = (...seq: string[]) => lines.some((_, i) => seq.every((s, j) => lines[i + j] === s))
    // The agenda: an ordered list of links.
    expect(at('L (block):', '/ListNumbering /Decimal', 'LI (block)', 'Lbl (block)', '"1. "', 'Link (inline)', '"構造のセクション"')).toBe(true)
    // Bold text (Chromium's PDF 2.0 Strong) stays in the tree, read as a Span by PDF 1.7 readers.
    expect(at('Span (inline)', '"太字の項目"')).toBe(true)
    expect(at('Code (inline)', '"handler"')).toBe(true)
    expect(lines.indexOf('Table (block)')).toBeGreaterThan(0)
    const table = lines.slice(lines.indexOf('Table (block)'))
    expect(table.filter(l => l.startsWith('"')).slice(0, 6)).toEqual([
      '"サービス"',
      '"課金"',
      '"関数"',
      '"リクエスト単位"',
      '"キュー"',
      '"メッセージ単位"',
    ])
    expect(table.filter(l => /^T[HD]\b/.test(l)).slice(0, 2).every(l => l.startsWith('TH'))).toBe(true)
    expect(at('Figure')).toBe(true)
  })

  it('labels pages with slide numbers and sends every way of linking to a slide to its page', () => {
    expect(reading.labels).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ])
    // The agenda: <Link to="3">, [](5), [](./diagrams) by route alias, [](#6); the closing slide: [](2).
    expect(reading.links.filter(l => l.page === 2).map(l => l.to)).toEqual([3, 5, 7, 6])
    expect(reading.links.filter(l => l.page === 9).map(l => l.to)).toEqual([2])
    expect(reading.links.filter(l => l.url)).toEqual([])
  })

  it('reads a two-column slide column by column in pdftotext', () => {
    // The slide's body only: the page's bottom band is the house-style footer (event, page number).
    const run = spawnSync('pdftotext', [
      '-f',
      '6',
      '-l',
      '6',
      '-x',
      '0',
      '-y',
      '0',
      '-W',
      '960',
      '-H',
      '490',
      pdfFile,
      '-',
    ], { encoding: 'utf8' })
    expect(run.stdout.replace(/\s+/g, '')).toBe('二段組左の段の一文目です。左の段の二文目です。左の段の三文目です。右の段の一文目です。右の段の二文目です。右の段の三文目です。')
  })
})
