/**
 * Finishes Chromium's PDF with pdf-lib: exact 16:9 pages, document metadata, bookmarks, page
 * labels equal to the slide numbers, a structure tree every reader accepts, links between slides
 * that go to their page, and links that point at the published site rather than the local server
 * the deck was printed from.
 */
import type { PDFObject } from 'pdf-lib'
import type { OutlineEntry } from './outline.ts'
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib'

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

/**
 * The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4): what every reader knows.
 * Chromium also writes PDF 2.0 types (`Strong`, `Em` for <strong>, <em>), which PDF 1.7 readers
 * such as poppler reject, dropping the element and the text inside it from the tree.
 */
export const STANDARD_STRUCTURE_TYPES = new Set([
  'Document',
  'Part',
  'Art',
  'Sect',
  'Div',
  'BlockQuote',
  'Caption',
  'TOC',
  'TOCI',
  'Index',
  'NonStruct',
  'Private',
  'P',
  'H',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'L',
  'LI',
  'Lbl',
  'LBody',
  'Table',
  'TR',
  'TH',
  'TD',
  'THead',
  'TBody',
  'TFoot',
  'Span',
  'Quote',
  'Note',
  'Reference',
  'BibEntry',
  'Code',
  'Link',
  'Annot',
  'Ruby',
  'RB',
  'RT',
  'RP',
  'Warichu',
  'WT',
  'WP',
  'Figure',
  'Formula',
  'Form',
])

/** PDF 2.0 types and the PDF 1.7 type a reader should treat them as. */
const PDF2_TYPES: Record<string, string> = {
  Strong: 'Span',
  Em: 'Span',
  Sub: 'Span',
  Title: 'H1',
  FENote: 'Note',
  Aside: 'Div',
  DocumentFragment: 'Div',
  Artifact: 'NonStruct',
}

/**
 * Maps every structure type outside PDF 1.7 to a standard one through the tree's /RoleMap (the
 * way the format provides for custom types), so readers keep those elements and their text;
 * the element keeps its own, more precise type for readers that know it. Returns the types mapped.
 */
export function mapStructureTypes(doc: PDFDocument): Record<string, string> {
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'))
  if (!(root instanceof PDFDict))
    return {}
  const used = new Set<string>()
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || !obj.has(PDFName.of('P')))
      continue
    const type = obj.get(PDFName.of('Type'))
    const s = obj.get(PDFName.of('S'))
    if (s instanceof PDFName && (type === undefined || type === PDFName.of('StructElem')))
      used.add(s.decodeText())
  }
  const existing = root.lookup(PDFName.of('RoleMap'))
  const roleMap = existing instanceof PDFDict
    ? existing
    : doc.context.obj({}) as PDFDict
  const mapped: Record<string, string> = {}
  for (const name of [...used].sort()) {
    if (STANDARD_STRUCTURE_TYPES.has(name) || roleMap.has(PDFName.of(name)))
      continue
    mapped[name] = PDF2_TYPES[name] ?? 'Span'
    roleMap.set(PDFName.of(name), PDFName.of(mapped[name]))
  }
  if (Object.keys(mapped).length && !(existing instanceof PDFDict))
    root.set(PDFName.of('RoleMap'), roleMap)
  return mapped
}

/**
 * Page labels (what a viewer's page box shows) equal to the slide numbers. `slideOfPage[i]` is
 * the slide printed on page i (with --per-click a slide spans several pages, all labelled with
 * its number); by default page i shows slide i + 1.
 */
export function setPageLabels(doc: PDFDocument, slideOfPage?: number[]): void {
  const count = doc.getPageCount()
  const slides = slideOfPage ?? Array.from({ length: count }, (_, i) => i + 1)
  const nums: PDFObject[] = []
  for (let i = 0; i < count; i++) {
    const no = slides[i] ?? (slides[i - 1] ?? 0) + 1
    // A range continues while the pages count up one slide at a time.
    if (i > 0 && no === (slides[i - 1] ?? 0) + 1)
      continue
    nums.push(PDFNumber.of(i), doc.context.obj({ S: 'D', St: no }))
  }
  doc.catalog.set(PDFName.of('PageLabels'), doc.context.obj({ Nums: nums }))
}

export interface SlideLinkResult {
  /** Links that now go to a page of this PDF. */
  internal: number
  /** Named destinations that no page carries (the link is dropped; its text stays). */
  unresolved: string[]
}

function destinationName(dest: PDFObject | undefined): string | undefined {
  if (dest instanceof PDFName)
    return dest.decodeText()
  if (dest instanceof PDFString || dest instanceof PDFHexString)
    return dest.decodeText()
  return undefined
}

/** The catalog's /Dests dictionary and /Names /Dests name tree, flattened to name → destination. */
function namedDestinations(doc: PDFDocument): Map<string, PDFObject> {
  const found = new Map<string, PDFObject>()
  const dests = doc.catalog.lookup(PDFName.of('Dests'))
  if (dests instanceof PDFDict) {
    for (const [key, value] of dests.entries())
      found.set(key.decodeText(), value)
  }
  const walk = (node: PDFObject | undefined) => {
    if (!(node instanceof PDFDict))
      return
    const names = node.lookup(PDFName.of('Names'))
    if (names instanceof PDFArray) {
      for (let i = 0; i + 1 < names.size(); i += 2) {
        const name = destinationName(names.lookup(i))
        if (name !== undefined)
          found.set(name, names.get(i + 1))
      }
    }
    const kids = node.lookup(PDFName.of('Kids'))
    if (kids instanceof PDFArray) {
      for (let i = 0; i < kids.size(); i++)
        walk(kids.lookup(i))
    }
  }
  const tree = doc.catalog.lookup(PDFName.of('Names'))
  if (tree instanceof PDFDict)
    walk(tree.lookup(PDFName.of('Dests')))
  return found
}

/** The page a destination (an array, or a dictionary with /D) points at. */
function destinationPage(doc: PDFDocument, dest: PDFObject | undefined): PDFRef | undefined {
  const value = dest instanceof PDFRef
    ? doc.context.lookup(dest)
    : dest
  const array = value instanceof PDFDict
    ? value.lookup(PDFName.of('D'))
    : value
  if (!(array instanceof PDFArray) || array.size() === 0)
    return undefined
  const page = array.get(0)
  return page instanceof PDFRef
    ? page
    : undefined
}

/**
 * Links between slides go to their page. Chromium prints a link to an element of the page
 * (setup/audience.ts points every link to a slide at the slide's printed container) as a link
 * to a named destination placed where that element was drawn, in the page's coordinates before
 * fitPagesToSlides scaled them. Every such link, and every named destination, becomes an explicit
 * one: the whole page, fitted to the window. A link to a slide that the print server's URL names
 * (`/base/12`, left by a link Slidev did not see as internal) goes to that page too, through
 * `pageOfSlide`, before relinkToSite would send it to the site.
 */
export function linkSlidesToPages(doc: PDFDocument, options: { printOrigin?: string, base?: string, pageOfSlide?: (no: number) => number | undefined } = {}): SlideLinkResult {
  const result: SlideLinkResult = { internal: 0, unresolved: [] }
  const named = namedDestinations(doc)
  const pages = doc.getPages()
  const fit = (page: PDFRef) => doc.context.obj([
    page,
    PDFName.of('Fit'),
  ])
  const deckPrefix = options.printOrigin && options.base
    ? `${options.printOrigin}${options.base}`
    : undefined
  for (const page of pages) {
    const annots = page.node.Annots()
    if (!annots)
      continue
    for (let i = annots.size() - 1; i >= 0; i--) {
      const annot = annots.lookup(i)
      if (!(annot instanceof PDFDict) || annot.get(PDFName.of('Subtype')) !== PDFName.of('Link'))
        continue
      const action = annot.lookup(PDFName.of('A'))
      let target: PDFRef | undefined
      let name: string | undefined
      if (annot.has(PDFName.of('Dest'))) {
        const dest = annot.lookup(PDFName.of('Dest'))
        name = destinationName(dest)
        target = destinationPage(doc, name === undefined
          ? dest
          : named.get(name))
      }
      else if (action instanceof PDFDict && action.get(PDFName.of('S')) === PDFName.of('GoTo')) {
        const dest = action.lookup(PDFName.of('D'))
        name = destinationName(dest)
        target = destinationPage(doc, name === undefined
          ? dest
          : named.get(name))
      }
      else if (action instanceof PDFDict && deckPrefix && options.pageOfSlide) {
        const uri = action.lookup(PDFName.of('URI'))
        const href = uri instanceof PDFString || uri instanceof PDFHexString
          ? uri.decodeText()
          : ''
        const m = href.startsWith(deckPrefix)
          ? href.slice(deckPrefix.length).match(/^(\d+)(?:[?#].*)?$/)
          : null
        const index = m
          ? options.pageOfSlide(Number(m[1]))
          : undefined
        if (index === undefined || !pages[index])
          continue
        target = pages[index]!.ref
      }
      else {
        continue
      }
      if (!target) {
        annots.remove(i)
        result.unresolved.push(name ?? '(unnamed)')
        continue
      }
      annot.delete(PDFName.of('A'))
      annot.set(PDFName.of('Dest'), fit(target))
      result.internal++
    }
    if (annots.size() === 0)
      page.node.delete(PDFName.of('Annots'))
  }
  const dests = doc.catalog.lookup(PDFName.of('Dests'))
  if (dests instanceof PDFDict) {
    for (const [key, value] of dests.entries()) {
      const target = destinationPage(doc, value)
      if (target)
        dests.set(key, fit(target))
    }
  }
  return result
}

export interface FinishOptions {
  width: number
  aspect: number
  meta: PdfMetadata
  outline: OutlineEntry[]
  links: SiteLinks
  /** The slide printed on each page, in order (default: page i shows slide i + 1). */
  pages?: { no: number }[]
  /** URL path the deck was printed under (`/talks/<slug>/`), to recognise links to its slides. */
  base?: string
}

export async function finishPdf(bytes: Uint8Array, options: FinishOptions): Promise<{ bytes: Uint8Array, fonts: string[], links: RelinkResult, slideLinks: SlideLinkResult }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: true })
  fitPagesToSlides(doc, options.width, options.aspect)
  setMetadata(doc, options.meta)
  setOutline(doc, options.outline)
  mapStructureTypes(doc)
  const slideOfPage = options.pages?.map(p => p.no)
  setPageLabels(doc, slideOfPage)
  const slideLinks = linkSlidesToPages(doc, {
    printOrigin: options.links.printOrigin,
    base: options.base,
    pageOfSlide: (no) => {
      const index = slideOfPage
        ? slideOfPage.indexOf(no)
        : no - 1
      return index < 0
        ? undefined
        : index
    },
  })
  const links = relinkToSite(doc, options.links)
  return {
    bytes: await doc.save(),
    fonts: listFonts(doc),
    links,
    slideLinks,
  }
}
