/**
 * The deck checker behind `npm run check`: metadata, notes, sections, headings and textlint over
 * the notes, every finding with file, line and severity. Later checks add a rule module here.
 */
import type { Headmatter } from '../meta.ts'
import type { TalkSlide } from '../transcript/model.ts'
import type { Finding } from './types.ts'
import { Buffer } from 'node:buffer'
import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { parseSync } from '@slidev/parser'
import { DeckError, lineOfField, loadDeck, readDeckSource } from '../decks.ts'
import { loadSlides } from '../transcript/model.ts'
import { addonRoot, ComponentRenderer, registry, themeRoot } from './components.ts'
import { saveMermaidCache } from './mermaid.ts'
import { checkOutside, readInside } from './outside.ts'
import { checkHeadings, checkLinks, checkNotes, checkSections } from './rules.ts'
import { checkProvenanceMeta, checkProvenanceOutputs, checkSlide, checkSlideLinks, checkStyleAssets } from './slide-rules.ts'
import { lintNotes } from './textlint.ts'

export { findingsJson, formatAnnotation, formatFinding } from './output.ts'
export type { Finding } from './types.ts'

export interface CheckTarget {
  slug: string
  dir: string
}

export interface CheckOptions {
  /** Run textlint over the notes (the slow part: a few seconds for the Japanese tokenizer). */
  textlint?: boolean
}

export interface CheckResult {
  findings: Finding[]
  /** Slides checked per deck. */
  slides: Map<string, number>
  errors: number
  warnings: number
}

interface Checked {
  target: CheckTarget
  entry: string
  slides: TalkSlide[]
  meta?: Headmatter
}

/** The folders a deck draws components, layouts and public files from: its theme, its addons, itself. */
function deckRoots(dir: string): string[] {
  let headmatter: Record<string, unknown> = {}
  try {
    headmatter = (parseSync(readDeckSource(join(dir, 'slides.md')), join(dir, 'slides.md')).slides[0]?.frontmatter ?? {}) as Record<string, unknown>
  }
  catch {}
  const addons = (Array.isArray(headmatter.addons)
    ? headmatter.addons
    : []).filter((a): a is string => typeof a === 'string')
  return [
    themeRoot(dir, headmatter.theme),
    ...addons.map(a => addonRoot(dir, a)),
    dir,
  ].filter((r): r is string => !!r && existsSync(r))
}

export async function checkDecks(targets: CheckTarget[], options: CheckOptions = {}): Promise<CheckResult> {
  const findings: Finding[] = []
  const checked: Checked[] = []
  const renderers = new Map<string, ComponentRenderer>()
  for (const target of targets) {
    const entry = join(target.dir, 'slides.md')
    const emit = (f: Omit<Finding, 'deck'>) => findings.push({ deck: target.slug, ...f })
    // The toolkit reads a deck with a byte-order mark like any other; Slidev itself does not (it takes the
    // BOM for text and loses the headmatter: addons, theme defaults, title), so dev, build and export suffer.
    if (existsSync(entry) && readFileSync(entry).subarray(0, 3).equals(Buffer.from([0xEF, 0xBB, 0xBF]))) {
      emit({
        file: entry,
        line: 1,
        severity: 'warning',
        rule: 'encoding/bom',
        message: 'slides.md starts with a byte-order mark: the toolkit reads it, but Slidev shows the headmatter as text and drops its settings in dev, build and export; save the file as UTF-8 without BOM (CRLF line endings are fine)',
      })
    }
    // Nothing outside the repository is read: a deck that reaches out is reported and not loaded.
    if (existsSync(entry) && !checkOutside(target.dir, emit))
      continue
    let meta: Headmatter | undefined
    try {
      meta = loadDeck(target.dir, target.slug).meta
    }
    catch (e) {
      if (!(e instanceof DeckError))
        throw e
      if (!existsSync(entry)) {
        emit({
          file: entry,
          severity: 'error',
          rule: 'meta',
          message: e.message,
        })
        continue
      }
      const source = readDeckSource(entry)
      if (e.issues.length) {
        for (const issue of e.issues) {
          emit({
            file: entry,
            line: lineOfField(source, issue.field),
            severity: 'error',
            rule: 'meta',
            message: `${issue.field} ${issue.message}`,
          })
        }
      }
      else {
        emit({
          file: entry,
          line: 1,
          severity: 'error',
          rule: 'meta',
          message: e.message,
        })
      }
    }
    let slides: TalkSlide[]
    let loadErrors = 0
    try {
      const loaded = await loadSlides(entry, target.dir, readInside)
      slides = loaded.slides
      loadErrors = loaded.errors.length
      for (const err of loaded.errors) {
        emit({
          file: err.file,
          line: err.line,
          severity: 'error',
          rule: 'slidev',
          message: err.message,
        })
      }
    }
    catch (e) {
      emit({
        file: entry,
        severity: 'error',
        rule: 'slidev',
        message: `cannot parse the deck: ${(e as Error).message}`,
      })
      continue
    }
    checkNotes(slides, emit)
    checkSections(slides, emit)
    checkSlideLinks(slides, emit)
    checkHeadings(slides, emit)
    if (meta) {
      const source = readDeckSource(entry)
      checkLinks(meta, entry, field => lineOfField(source, field), emit)
      checkProvenanceMeta(meta, entry, field => lineOfField(source, field), emit)
    }
    if (meta?.talk.provenance === 'reconstruction' && !loadErrors) {
      const { loadTalk, renderTranscripts } = await import('../transcript/index.ts')
      const talk = await loadTalk({
        slug: target.slug,
        dir: target.dir,
        entry,
        hidden: target.slug.startsWith('_'),
        meta,
      })
      const outputs = renderTranscripts(talk, { base: '/', pdf: true })
      checkProvenanceOutputs({ ...outputs }, entry, lineOfField(readDeckSource(entry), 'talk.provenance'), emit)
    }
    checkStyleAssets(target.dir, emit)
    const roots = deckRoots(target.dir)
    const reg = registry(roots)
    const componentsKey = [
      ...reg.components.values(),
    ].sort().join('\n')
    const renderer = renderers.get(componentsKey) ?? new ComponentRenderer(reg.components)
    renderers.set(componentsKey, renderer)
    for (const slide of slides) {
      await checkSlide({
        dir: target.dir,
        meta,
        registry: reg,
        renderer,
        roots,
      }, slide, emit)
    }
    checked.push({ target, entry, slides, meta })
  }
  renderers.forEach(r => r.save())
  saveMermaidCache()
  if (options.textlint !== false) {
    const files = checked.flatMap(c => [
      ...new Set(c.slides.map(s => s.file)),
    ].map(file => ({ deck: c.target.slug, file, slides: c.slides })))
    findings.push(...await lintNotes(files))
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule))
  return {
    findings,
    slides: new Map(checked.map(c => [c.target.slug, c.slides.length])),
    errors: findings.filter(f => f.severity === 'error').length,
    warnings: findings.filter(f => f.severity === 'warning').length,
  }
}

/** A deck folder given by path (fixtures outside decks/). */
export function targetFromDir(dir: string): CheckTarget {
  return {
    slug: basename(dir),
    dir,
  }
}
