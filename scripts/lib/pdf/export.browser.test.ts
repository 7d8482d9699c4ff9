/**
 * Exports fixture decks with the real pipeline (Slidev build, Chromium, pdf-lib) and checks the
 * PDF itself: pages, text, fonts, bookmarks, metadata, links; and that a broken slide fails the
 * export by deck and slide without touching the earlier PDF.
 */
import type { Deck } from '../decks.ts'
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { getDocumentProxy } from 'unpdf'
import { beforeAll, describe, expect, it } from 'vitest'
import config from '../../../toolkit.config.ts'
import { loadDeck } from '../decks.ts'
import { repoRoot } from '../paths.ts'
import { listFonts } from './document.ts'
import { exportDecksToPdf } from './index.ts'

const fixture = (slug: string): Deck => loadDeck(join(repoRoot, 'scripts/fixtures', slug), slug)
const out = mkdtempSync(join(tmpdir(), 'pdf-export-'))
const outFile = (deck: Deck) => join(out, deck.slug, `${deck.slug}.pdf`)
const logs: string[] = []
const log = (line: string) => logs.push(line)
/** Where the printed site links should point (the fixture links to its transcript by a relative path). */
const site = { base: '/', url: 'https://talks.example' }

async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 })
  const texts: string[] = []
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent()
    texts.push(content.items.map(item => ('str' in item
      ? item.str
      : '')).join(''))
  }
  return texts
}

describe('exporting a fixture deck to PDF', () => {
  const deck = fixture('_pdf-basic')
  let bytes: Uint8Array

  beforeAll(async () => {
    const [result] = await exportDecksToPdf([deck], { outFile, force: true, log, site })
    expect(result).toMatchObject({
      file: outFile(deck),
      skipped: false,
    })
    bytes = new Uint8Array(readFileSync(outFile(deck)))
    expect(result!.bytes).toBe(bytes.byteLength)
  })

  it('has one 16:9 page of 960 x 540 pt per slide', async () => {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 })
    expect(pdf.numPages).toBe(5)
    for (let i = 1; i <= pdf.numPages; i++) {
      const [x0, y0, x1, y1] = (await pdf.getPage(i)).view as [number, number, number, number]
      expect(x1 - x0).toBeCloseTo(960, 2)
      expect(y1 - y0).toBeCloseTo(540, 2)
    }
  })

  it('keeps every slide\'s text as real, searchable Japanese text, click steps shown', async () => {
    const texts = await pageTexts(bytes)
    expect(texts[0]).toContain('PDF 書き出しの確認')
    expect(texts[0]).toContain('検索できる日本語のテキスト')
    expect(texts[1]).toContain('最初のセクション')
    expect(texts[2]).toContain('イベントドリブンアーキテクチャ')
    // Without --per-click a slide is printed with every click revealed.
    expect(texts[2]).toContain('クリックで現れる項目')
    expect(texts[3]).toContain('参考リンク')
    expect(texts[4]).toContain('ご清聴ありがとうございました')
  })

  it('embeds the bundled fonts and no other', async () => {
    const fonts = listFonts(await PDFDocument.load(bytes))
    expect(fonts.some(f => f.startsWith('BIZUDPGothic'))).toBe(true)
    expect(fonts.filter(f => !/^(?:BIZUDPGothic|JetBrainsMono)/.test(f))).toEqual([])
  })

  it('has bookmarks: the section nests the slides after it', async () => {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 })
    const outline = await pdf.getOutline()
    expect(outline.map(o => o.title)).toEqual(['PDF 書き出しの確認', '最初のセクション', 'ご清聴ありがとうございました'])
    expect(outline[1]!.items.map(o => o.title)).toEqual(['イベントドリブンアーキテクチャ', '参考リンク'])
    const target = outline[1]!.items[1]!.dest as unknown[]
    expect(await pdf.getPageIndex(target[0] as never)).toBe(3)
  })

  it('carries title, author, subject and keywords from the deck metadata', async () => {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 })
    const { info } = await pdf.getMetadata() as unknown as { info: Record<string, string> }
    expect(info).toMatchObject({
      Title: 'PDF 書き出しの確認',
      // The speaker's display name from toolkit.config.ts (the deck names the speaker by handle).
      Author: config.speakers.nekoruri!.name,
      Subject: '検索できる日本語の PDF を確かめるためのデッキです。',
      Keywords: 'サーバーレス, PDF',
      Language: 'ja',
    })
  })

  it('keeps links clickable', async () => {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 })
    const links = (await (await pdf.getPage(4)).getAnnotations()).filter(a => a.subtype === 'Link')
    expect(links.map(a => a.url).sort()).toEqual([
      'https://sli.dev/guide/',
      // Printed from a local server, pointed at the published site.
      'https://talks.example/_pdf-basic/transcript/',
    ])
  })

  it('skips an unchanged deck and leaves its PDF alone', async () => {
    const before = statSync(outFile(deck)).mtimeMs
    const [again] = await exportDecksToPdf([deck], { outFile, log, site })
    expect(again!.skipped).toBe(true)
    expect(statSync(outFile(deck)).mtimeMs).toBe(before)
  })

  it('prints one page per click step with --per-click', async () => {
    const file = join(out, 'clicks.pdf')
    await exportDecksToPdf([deck], {
      outFile: () => file,
      perClick: true,
      force: true,
      log,
      site,
    })
    const texts = await pageTexts(new Uint8Array(readFileSync(file)))
    expect(texts).toHaveLength(6)
    expect(texts[2]).toContain('フルマネージドサービス')
    expect(texts[2]).not.toContain('クリックで現れる項目')
    expect(texts[3]).toContain('クリックで現れる項目')
  })

  it('a PDF for a site whose URL is unknown keeps a relative link as text, not as a link to the print server', async () => {
    const file = join(out, 'no-site-url.pdf')
    const lines: string[] = []
    await exportDecksToPdf([deck], {
      outFile: () => file,
      force: true,
      log: l => lines.push(l),
      site: { base: '/', url: '' },
    })
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync(file)), { verbosity: 0 })
    const links = (await (await pdf.getPage(4)).getAnnotations()).filter(a => a.subtype === 'Link')
    expect(links.map(a => a.url)).toEqual(['https://sli.dev/guide/'])
    expect((await pageTexts(new Uint8Array(readFileSync(file))))[3]).toContain('この資料の文字起こし')
    expect(lines.join('\n')).toContain('1 link to the site printed as text only (/_pdf-basic/transcript/)')
  })
})

describe('a slide that fails to render', () => {
  for (const [slug, cause] of [
    ['_pdf-mermaid-error', /Parse error|Mermaid/],
    ['_pdf-missing-image', /no-such-photo\.jpg/],
    ['_pdf-component-error', /component error: TypeError: Cannot read properties of undefined/],
  ] as const) {
    it(`${slug}: fails naming deck and slide, earlier PDF byte-for-byte intact`, async () => {
      const deck = fixture(slug)
      const earlier = new TextEncoder().encode(`%PDF-1.4\n% earlier export of ${slug}\n%%EOF\n`)
      const file = outFile(deck)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, earlier)
      const error = await exportDecksToPdf([deck], { outFile, force: true, log }).then(() => undefined, e => e as Error)
      expect(error, 'the export should have failed').toBeInstanceOf(Error)
      expect(error!.message).toContain(`deck ${slug}`)
      expect(error!.message).toMatch(slug === '_pdf-component-error'
        ? /slide 3: /
        : /slide 2: /)
      expect(error!.message).not.toMatch(/slide unknown/)
      expect(error!.message).toMatch(cause)
      expect(Buffer.compare(readFileSync(file), earlier)).toBe(0)
    })
  }
})
