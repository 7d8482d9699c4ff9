import { PDFDocument, PDFString } from 'pdf-lib'
import { getDocumentProxy } from 'unpdf'
import { describe, expect, it } from 'vitest'
import { finishPdf, parseAspect } from './document.ts'

const PRINT_ORIGIN = 'http://127.0.0.1:3550'
const noSite = { printOrigin: PRINT_ORIGIN, siteUrl: '' }

/** A page the way Chromium prints a 980 x 552 px Slidev canvas: 735.12 x 414 pt, with links. */
async function chromiumLikePdf(pages: number, hrefs = ['https://example.com/']): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([735.12, 414])
    page.drawRectangle({
      x: 0,
      y: 0,
      width: 735.12,
      height: 414,
    })
    hrefs.forEach((href, n) => {
      const link = doc.context.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: [10, 300 - 30 * n, 110, 320 - 30 * n],
        A: {
          S: 'URI',
          URI: PDFString.of(href),
        },
      })
      page.node.addAnnot(doc.context.register(link))
    })
  }
  return doc.save()
}

describe('parseAspect', () => {
  it('reads Slidev aspect ratios, falling back to 16:9', () => {
    expect(parseAspect('16/9')).toBeCloseTo(16 / 9)
    expect(parseAspect('4:3')).toBeCloseTo(4 / 3)
    expect(parseAspect(1.5)).toBe(1.5)
    expect(parseAspect(undefined)).toBeCloseTo(16 / 9)
    expect(parseAspect('wide')).toBeCloseTo(16 / 9)
  })
})

describe('finishPdf', () => {
  it('makes 960 x 540 pt pages, sets metadata and writes nested bookmarks', async () => {
    const { bytes } = await finishPdf(await chromiumLikePdf(3), {
      width: 980,
      aspect: 16 / 9,
      meta: {
        title: 'サーバーレスアップデート',
        author: 'nekoruri',
        subject: '概要',
        keywords: ['AWS', 'Step Functions'],
        language: 'ja',
      },
      outline: [
        { title: '表紙', page: 0, children: [] },
        {
          title: '章',
          page: 1,
          children: [
            { title: '節', page: 2, children: [] },
          ],
        },
      ],
      links: noSite,
    })
    const pdf = await getDocumentProxy(bytes)
    expect(pdf.numPages).toBe(3)
    const page = await pdf.getPage(1)
    const [x0, y0, x1, y1] = page.view
    expect(x1! - x0!).toBeCloseTo(960, 3)
    expect(y1! - y0!).toBeCloseTo(540, 3)
    // The link keeps pointing at the same spot of the slide after scaling.
    const [link] = await page.getAnnotations()
    expect(link.url).toBe('https://example.com/')
    expect(link.rect[0]).toBeCloseTo(10 * 960 / 735, 1)
    const { info } = await pdf.getMetadata() as unknown as { info: Record<string, string> }
    expect(info).toMatchObject({
      Title: 'サーバーレスアップデート',
      Author: 'nekoruri',
      Subject: '概要',
      Keywords: 'AWS, Step Functions',
      Language: 'ja',
    })
    const outline = await pdf.getOutline()
    expect(outline.map(o => o.title)).toEqual(['表紙', '章'])
    expect(outline[1]!.items.map(o => o.title)).toEqual(['節'])
    expect(await pdf.getPageIndex(outline[1]!.items[0]!.dest![0] as never)).toBe(2)
  })
})

describe('links to the print server', () => {
  const hrefs = [
    'https://hono.dev/',
    `${PRINT_ORIGIN}/talks/2024-09-20-x/`,
    `${PRINT_ORIGIN}/talks/2024-09-20-x/transcript/`,
  ]
  const finish = async (siteUrl: string) => {
    const done = await finishPdf(await chromiumLikePdf(1, hrefs), {
      width: 980,
      aspect: 16 / 9,
      meta: { title: 't' },
      outline: [],
      links: { printOrigin: PRINT_ORIGIN, siteUrl },
    })
    const page = await (await getDocumentProxy(done.bytes)).getPage(1)
    return {
      ...done.links,
      urls: (await page.getAnnotations()).map(a => a.url as string),
    }
  }

  it('point at the published site when its URL is known', async () => {
    const r = await finish('https://nekoruri.example')
    expect(r.urls.sort()).toEqual([
      'https://hono.dev/',
      'https://nekoruri.example/talks/2024-09-20-x/',
      'https://nekoruri.example/talks/2024-09-20-x/transcript/',
    ])
    expect(r.rewritten).toBe(2)
  })

  it('are dropped, and reported, when the site URL is unknown; other links stay', async () => {
    const r = await finish('')
    expect(r.urls).toEqual(['https://hono.dev/'])
    expect(r.removed.sort()).toEqual(['/talks/2024-09-20-x/', '/talks/2024-09-20-x/transcript/'])
  })
})
