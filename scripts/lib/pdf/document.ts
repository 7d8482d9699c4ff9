/**
 * Finishes Chromium's PDF with pdf-lib: exact 16:9 pages, document metadata, bookmarks, and
 * links that point at the published site rather than the local server the deck was printed from.
 */
import type { PDFRef } from 'pdf-lib'
import type { OutlineEntry } from './outline.ts'
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib'

/** PowerPoint's and Marp's 16:9 page, in points. */
export const PAGE_WIDTH_PT = 960

export interface PdfMetadata {
  title: string
  author?: string
  subject?: string
  keywords?: string[]
  language?: string
  creator?: string
}

/** Slidev's `aspectRatio` setting ("16/9", "16:9" or a number), 16:9 when unset or unreadable. */
export function parseAspect(value: unknown): number {
  if (typeof value === 'number' && value > 0)
    return value
  const m = typeof value === 'string'
    ? value.match(/^\s*([\d.]+)\s*[/:x]\s*([\d.]+)\s*$/)
    : null
  const ratio = m
    ? Number(m[1]) / Number(m[2])
    : Number.NaN
  return Number.isFinite(ratio) && ratio > 0
    ? ratio
    : 16 / 9
}

/**
 * Slidev's canvas is 980 x ceil(980 / aspect) px (552 for 16:9) and Chromium rounds the page to
 * whole device units (735.12 x 414 pt), so printed pages are a hair off 16:9. Crop every page to
 * the slide's exact aspect ratio from its top-left corner (under a pixel of the bottom margin
 * goes) and scale it to 960 pt wide: PowerPoint's and Marp's 16:9 page, 960 x 540 pt.
 */
export function fitPagesToSlides(doc: PDFDocument, slideWidthPx: number, aspect: number): void {
  const widthPt = slideWidthPx * 0.75
  const heightPt = widthPt / aspect
  const s = PAGE_WIDTH_PT / widthPt
  for (const page of doc.getPages()) {
    const box = page.getMediaBox()
    // Content starts at the top-left corner; PDF coordinates start at the bottom-left.
    const y0 = box.y + box.height - heightPt
    page.scaleContent(s, s)
    page.scaleAnnotations(s, s)
    page.setMediaBox(box.x * s, y0 * s, widthPt * s, heightPt * s)
    page.setCropBox(box.x * s, y0 * s, widthPt * s, heightPt * s)
    for (const name of ['BleedBox', 'TrimBox', 'ArtBox'])
      page.node.delete(PDFName.of(name))
  }
}

export function setMetadata(doc: PDFDocument, meta: PdfMetadata): void {
  doc.setTitle(meta.title, { showInWindowTitleBar: true })
  if (meta.author)
    doc.setAuthor(meta.author)
  if (meta.subject)
    doc.setSubject(meta.subject)
  if (meta.keywords?.length) {
    // One entry joined by commas: pdf-lib joins with spaces, which splits multi-word tags.
    doc.setKeywords([
      meta.keywords.join(', '),
    ])
  }
  if (meta.language)
    doc.setLanguage(meta.language)
  doc.setCreator(meta.creator ?? 'nekoruri-talks (Slidev + Chromium)')
  doc.setProducer('pdf-lib')
}

/** Writes the outline (bookmarks) tree and opens the PDF with the bookmarks panel shown. */
export function setOutline(doc: PDFDocument, outline: OutlineEntry[]): void {
  if (!outline.length)
    return
  const ctx = doc.context
  const pages = doc.getPages()
  const rootRef = ctx.nextRef()

  const write = (items: OutlineEntry[], parent: PDFRef): { first: PDFRef, last: PDFRef, count: number } => {
    const refs = items.map(() => ctx.nextRef())
    let count = items.length
    items.forEach((item, i) => {
      const page = pages[Math.min(item.page, pages.length - 1)]!
      const dict = ctx.obj({}) as PDFDict
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title))
      dict.set(PDFName.of('Parent'), parent)
      dict.set(PDFName.of('Dest'), ctx.obj([
        page.ref,
        PDFName.of('Fit'),
      ]))
      if (i > 0)
        dict.set(PDFName.of('Prev'), refs[i - 1]!)
      if (i < items.length - 1)
        dict.set(PDFName.of('Next'), refs[i + 1]!)
      if (item.children.length) {
        const sub = write(item.children, refs[i]!)
        dict.set(PDFName.of('First'), sub.first)
        dict.set(PDFName.of('Last'), sub.last)
        // Positive: the section starts expanded, so its slides are visible at a glance.
        dict.set(PDFName.of('Count'), PDFNumber.of(sub.count))
        count += sub.count
      }
      ctx.assign(refs[i]!, dict)
    })
    return { first: refs[0]!, last: refs[refs.length - 1]!, count }
  }

  const top = write(outline, rootRef)
  const root = ctx.obj({}) as PDFDict
  root.set(PDFName.of('Type'), PDFName.of('Outlines'))
  root.set(PDFName.of('First'), top.first)
  root.set(PDFName.of('Last'), top.last)
  root.set(PDFName.of('Count'), PDFNumber.of(top.count))
  ctx.assign(rootRef, root)
  doc.catalog.set(PDFName.of('Outlines'), rootRef)
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'))
}

/** Base names of every font in the PDF, subset prefix removed (`AAAAAA+BIZUDPGothic-Bold` → `BIZUDPGothic-Bold`). */
export function listFonts(doc: PDFDocument): string[] {
  const names = new Set<string>()
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('Font'))
      continue
    const base = obj.get(PDFName.of('BaseFont'))
    // Type0 fonts name their descendant; the descendant carries the same name.
    if (base instanceof PDFName && obj.get(PDFName.of('Subtype')) !== PDFName.of('Type0'))
      names.add(base.decodeText().replace(/^[A-Z]{6}\+/, ''))
  }
  return [...names].sort()
}

/** The fonts the theme bundles; anything else in a PDF is a system fallback for a missing glyph. */
export const BUNDLED_FONT = /^(?:BIZUDPGothic|JetBrainsMono)/

export interface SiteLinks {
  /** Origin of the local server Chromium printed from, e.g. http://127.0.0.1:3550 */
  printOrigin: string
  /** Absolute origin of the published site ('' when unknown). */
  siteUrl: string
}

export interface RelinkResult {
  /** Links moved from the print server to the published site. */
  rewritten: number
  /** Links to the print server dropped because the site's address is unknown (their text stays). */
  removed: string[]
}

/**
 * Chromium resolves a slide's relative links (the closing slide's /<slug>/ paths, links between
 * slides) against the print server, so the PDF would point readers at 127.0.0.1. Such links move
 * to the published site when its URL is known and are dropped otherwise: a dead link to
 * localhost is worse than plain text.
 */
export function relinkToSite(doc: PDFDocument, links: SiteLinks): RelinkResult {
  const result: RelinkResult = { rewritten: 0, removed: [] }
  const prefix = `${links.printOrigin}/`
  for (const page of doc.getPages()) {
    const annots = page.node.Annots()
    if (!annots)
      continue
    for (let i = annots.size() - 1; i >= 0; i--) {
      const annot = annots.lookup(i)
      const action = annot instanceof PDFDict
        ? annot.lookup(PDFName.of('A'))
        : undefined
      if (!(action instanceof PDFDict))
        continue
      const uri = action.lookup(PDFName.of('URI'))
      if (!(uri instanceof PDFString || uri instanceof PDFHexString))
        continue
      const href = uri.decodeText()
      if (href !== links.printOrigin && !href.startsWith(prefix))
        continue
      const path = href.slice(links.printOrigin.length) || '/'
      if (links.siteUrl) {
        action.set(PDFName.of('URI'), PDFString.of(`${links.siteUrl}${path}`))
        result.rewritten++
      }
      else {
        annots.remove(i)
        result.removed.push(path)
      }
    }
    if (annots.size() === 0)
      page.node.delete(PDFName.of('Annots'))
  }
  return result
}

export async function finishPdf(bytes: Uint8Array, options: { width: number, aspect: number, meta: PdfMetadata, outline: OutlineEntry[], links: SiteLinks }): Promise<{ bytes: Uint8Array, fonts: string[], links: RelinkResult }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: true })
  fitPagesToSlides(doc, options.width, options.aspect)
  setMetadata(doc, options.meta)
  setOutline(doc, options.outline)
  const links = relinkToSite(doc, options.links)
  return {
    bytes: await doc.save(),
    fonts: listFonts(doc),
    links,
  }
}
