import type { PDFArray, PDFDict } from 'pdf-lib'
import { PDFDocument, PDFName, PDFString } from 'pdf-lib'
import { getDocumentProxy } from 'unpdf'
import { describe, expect, it } from 'vitest'
import { finishPdf, linkSlidesToPages, mapStructureTypes, parseAspect, setPageLabels } from './document.ts'

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

/** A structure tree the way Chromium writes one: Document > P > the given types. */
async function taggedPdf(types: string[]): Promise<PDFDocument> {
  const doc = await PDFDocument.create()
  doc.addPage([735.12, 414])
  const ctx = doc.context
  const rootRef = ctx.nextRef()
  const documentRef = ctx.nextRef()
  const pRef = ctx.nextRef()
  const kids = types.map(S => ctx.register(ctx.obj({
    Type: 'StructElem',
    S,
    P: pRef,
    K: [],
  })))
  ctx.assign(pRef, ctx.obj({
    Type: 'StructElem',
    S: 'P',
    P: documentRef,
    K: kids,
  }))
  ctx.assign(documentRef, ctx.obj({
    Type: 'StructElem',
    S: 'Document',
    P: rootRef,
    K: [pRef],
  }))
  ctx.assign(rootRef, ctx.obj({ Type: 'StructTreeRoot', K: documentRef }))
  doc.catalog.set(PDFName.of('StructTreeRoot'), rootRef)
  return doc
}

describe('mapStructureTypes', () => {
  it('maps Chromium\'s PDF 2.0 types (Strong, Em) and unknown ones to standard types through the RoleMap; standard types stay', async () => {
    const doc = await taggedPdf([
      'Strong',
      'Em',
      'Code',
      'Link',
      'Mystery',
    ])
    expect(mapStructureTypes(doc)).toEqual({ Em: 'Span', Mystery: 'Span', Strong: 'Span' })
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot')) as PDFDict
    const roleMap = root.lookup(PDFName.of('RoleMap')) as PDFDict
    expect([
      ...roleMap.entries(),
    ].map(([k, v]) => `${k.decodeText()}→${String(v)}`).sort()).toEqual(['Em→/Span', 'Mystery→/Span', 'Strong→/Span'])
    // Run again: nothing left to map.
    expect(mapStructureTypes(doc)).toEqual({})
  })

  it('leaves an untagged PDF alone', async () => {
    const doc = await PDFDocument.create()
    doc.addPage()
    expect(mapStructureTypes(doc)).toEqual({})
    expect(doc.catalog.has(PDFName.of('StructTreeRoot'))).toBe(false)
  })
})

describe('setPageLabels', () => {
  const labels = async (pages: number, slideOfPage?: number[]) => {
    const doc = await PDFDocument.create()
    for (let i = 0; i < pages; i++)
      doc.addPage()
    setPageLabels(doc, slideOfPage)
    return (await getDocumentProxy(await doc.save())).getPageLabels()
  }

  it('labels each page with its slide number', async () => {
    expect(await labels(4)).toEqual(['1', '2', '3', '4'])
  })

  it('gives every click step of a slide (--per-click) the slide\'s number', async () => {
    expect(await labels(5, [1, 2, 2, 2, 3])).toEqual(['1', '2', '2', '2', '3'])
  })
})

describe('linkSlidesToPages', () => {
  /** Three pages; page 1 links to named destinations and to the print server's slide routes. */
  async function linkedPdf(): Promise<PDFDocument> {
    const doc = await PDFDocument.create()
    const pages = [0, 1, 2].map(() => doc.addPage([735.12, 414]))
    const ctx = doc.context
    doc.catalog.set(PDFName.of('Dests'), ctx.obj({
      '002-01': [pages[1]!.ref, 'XYZ', 0, 414, 0],
      '003-04': [pages[2]!.ref, 'XYZ', 0, 414, 0],
    }))
    const annots: Record<string, unknown>[] = [
      {
        Dest: PDFName.of('003-04'),
      },
      {
        A: {
          S: 'GoTo',
          D: PDFString.of('002-01'),
        },
      },
      {
        A: {
          S: 'URI',
          URI: PDFString.of(`${PRINT_ORIGIN}/talks/x/2`),
        },
      },
      {
        A: {
          S: 'URI',
          URI: PDFString.of('https://hono.dev/'),
        },
      },
      {
        Dest: PDFName.of('009-01'),
      },
    ]
    for (const extra of annots) {
      pages[0]!.node.addAnnot(ctx.register(ctx.obj({
        Type: 'Annot',
        Subtype: 'Link',
        Rect: [0, 0, 10, 10],
        ...extra,
      } as never)))
    }
    return doc
  }

  it('sends links to named destinations and to the deck\'s slide routes to their page, whole page in view', async () => {
    const doc = await linkedPdf()
    const result = linkSlidesToPages(doc, {
      printOrigin: PRINT_ORIGIN,
      base: '/talks/x/',
      pageOfSlide: no => no - 1,
    })
    expect(result).toEqual({
      internal: 3,
      unresolved: ['009-01'],
    })
    const pdf = await getDocumentProxy(await doc.save())
    const annots = await (await pdf.getPage(1)).getAnnotations()
    const targets = await Promise.all(annots.map(async a => a.url ?? (await pdf.getPageIndex(a.dest[0])) + 1))
    expect(targets).toEqual([3, 2, 2, 'https://hono.dev/'])
    expect(annots.filter(a => a.dest).map(a => a.dest[1].name)).toEqual(['Fit', 'Fit', 'Fit'])
    // The named destinations themselves show the whole page too (their XYZ point predates the page's scaling).
    const dests = doc.catalog.lookup(PDFName.of('Dests')) as PDFDict
    expect((dests.lookup(PDFName.of('002-01')) as PDFArray).lookup(1)).toBe(PDFName.of('Fit'))
  })

  it('finishPdf labels pages and links slides with the printed pages it is given', async () => {
    const doc = await linkedPdf()
    const { bytes, slideLinks } = await finishPdf(await doc.save(), {
      width: 980,
      aspect: 16 / 9,
      meta: { title: 't' },
      outline: [],
      links: noSite,
      pages: [
        { no: 1 },
        { no: 2 },
        { no: 4 },
      ],
    })
    expect(slideLinks.internal).toBe(2)
    const pdf = await getDocumentProxy(bytes)
    expect(await pdf.getPageLabels()).toEqual(['1', '2', '4'])
  })
})
