/**
 * Reads a printed PDF the way an assistive reader or a viewer would, for the tests that keep the
 * PDFs accessible: poppler's view of the structure tree (and its complaints), the language, the
 * Figures' alternative text, page labels, bookmarks and where every link goes.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib'
import { getDocumentProxy } from 'unpdf'

export interface PdfStructure {
  /**
   * `pdfinfo -struct-text`, one trimmed line per element, attribute or text run, without the
   * NonStruct wrappers and empty runs Chromium adds around everything: `H1 (block)`, `"目次"`.
   */
  lines: string[]
  /** What poppler complained about while reading the tree (`Syntax Error: …`). */
  errors: string[]
}

export function readStructure(file: string): PdfStructure {
  const run = spawnSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (run.error)
    throw new Error(`pdfinfo (poppler-utils) is needed to read the PDF's structure: ${run.error.message}`)
  return {
    lines: run.stdout.split('\n').map(l => l.trim()).filter(l => l && l !== 'NonStruct' && l !== '""'),
    errors: run.stderr.split('\n').filter(l => l.trim()),
  }
}

/** The text of every heading of the given tag (`H1`), in reading order. */
export function headings(structure: PdfStructure, tag = 'H1'): string[] {
  const found: string[] = []
  structure.lines.forEach((line, i) => {
    const next = structure.lines[i + 1]
    if (line === `${tag} (block)` && next?.startsWith('"'))
      found.push(next.slice(1, -1))
  })
  return found
}

function text(value: unknown): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString
    ? value.decodeText()
    : undefined
}

/** The catalog's /Lang. */
export function documentLanguage(doc: PDFDocument): string | undefined {
  return text(doc.catalog.lookup(PDFName.of('Lang')))
}

/** The alternative text of every Figure of the structure tree, in document order ('' when missing). */
export function figureAlts(doc: PDFDocument): string[] {
  const alts: string[] = []
  const walk = (node: unknown) => {
    if (node instanceof PDFArray) {
      for (let i = 0; i < node.size(); i++)
        walk(node.lookup(i))
      return
    }
    if (!(node instanceof PDFDict))
      return
    if (node.get(PDFName.of('S')) === PDFName.of('Figure'))
      alts.push(text(node.lookup(PDFName.of('Alt'))) ?? '')
    walk(node.lookup(PDFName.of('K')))
  }
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'))
  if (root instanceof PDFDict)
    walk(root.lookup(PDFName.of('K')))
  return alts
}

export interface PdfLink {
  /** 1-based page the link is on. */
  page: number
  /** A link out of the PDF. */
  url?: string
  /** 1-based page a link inside the PDF goes to (undefined: it goes nowhere). */
  to?: number
}

export interface PdfReading {
  pages: number
  labels: string[] | null
  /** Top-level bookmarks and their children's titles. */
  outline: { title: string, children: string[] }[]
  links: PdfLink[]
  language?: string
  figures: string[]
  structure: PdfStructure
}

export async function readPdf(file: string): Promise<PdfReading> {
  const bytes = new Uint8Array(readFileSync(file))
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 })
  const links: PdfLink[] = []
  for (let n = 1; n <= pdf.numPages; n++) {
    for (const a of await (await pdf.getPage(n)).getAnnotations()) {
      if (a.subtype !== 'Link')
        continue
      const dest = Array.isArray(a.dest)
        ? a.dest
        : typeof a.dest === 'string'
          ? await pdf.getDestination(a.dest)
          : undefined
      links.push({
        page: n,
        url: a.url,
        to: dest?.[0]
          ? await pdf.getPageIndex(dest[0]) + 1
          : undefined,
      })
    }
  }
  const doc = await PDFDocument.load(bytes)
  return {
    pages: pdf.numPages,
    labels: await pdf.getPageLabels(),
    outline: ((await pdf.getOutline()) ?? []).map(o => ({
      title: o.title,
      children: o.items.map(i => i.title),
    })),
    links,
    language: documentLanguage(doc),
    figures: figureAlts(doc),
    structure: readStructure(file),
  }
}

/**
 * What a reader would stumble on in a deck's PDF: structure errors, a language other than the
 * deck's, page labels other than the slide numbers, a section missing from the bookmarks, a link
 * to nowhere or to the print server, a diagram whose Figure lacks its name. Empty when all is well.
 */
export function pdfProblems(reading: PdfReading, expected: { lang: string, slides: number[], sections: string[], diagrams: string[] }): string[] {
  const problems: string[] = []
  problems.push(...reading.structure.errors.map(e => `structure: ${e}`))
  if (!reading.structure.lines.includes('H1 (block)'))
    problems.push('structure: no heading')
  if (reading.language !== expected.lang)
    problems.push(`language: ${reading.language ?? 'none'}, expected ${expected.lang}`)
  const labels = expected.slides.map(String)
  if (JSON.stringify(reading.labels) !== JSON.stringify(labels))
    problems.push(`page labels: ${JSON.stringify(reading.labels)}, expected ${JSON.stringify(labels)}`)
  const top = reading.outline.map(o => o.title)
  const missing = expected.sections.filter(s => !top.includes(s))
  if (missing.length)
    problems.push(`bookmarks: sections missing at the top level: ${missing.join(', ')}`)
  for (const l of reading.links) {
    if (l.url && !/^https?:\/\/(?!127\.0\.0\.1|localhost)/.test(l.url))
      problems.push(`page ${l.page}: link to ${l.url}`)
    if (!l.url && !l.to)
      problems.push(`page ${l.page}: a link that goes nowhere`)
  }
  if (JSON.stringify(reading.figures) !== JSON.stringify(expected.diagrams))
    problems.push(`figures: alternative texts ${JSON.stringify(reading.figures)}, expected the diagrams' names ${JSON.stringify(expected.diagrams)}`)
  return problems
}
