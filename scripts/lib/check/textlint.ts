/**
 * textlint over the speaker notes of many decks with one linter (config loaded once, rules
 * loaded once): each deck's notes are laid out as a document with the same line numbers as its
 * slides.md, everything but the notes blanked, so every message points at the line in slides.md.
 *
 * .textlintrc.json (JSON has no comments, so the reasons live here) tunes the preset for a spoken
 * script in です・ます:
 * - sentence-length 130 (warning): spoken sentences chain clauses; 100 flagged natural speech.
 * - max-ten 5 (warning): 読点 mark breathing pauses when read aloud.
 * - no-doubled-joshi (warning, allow も/でも/や/か): parallel "AもBも", "AでもBでも" is idiomatic.
 * - ja-no-weak-phrase off: "〜と思います", "〜かも" are the speaker's honest hedges, not weak prose.
 * - arabic-kanji-numbers off: "二つの視点", "三つめ" read aloud the same; the rule forces one style.
 * - no-exclamation-question-mark: ? and ！ allowed (questions to the audience, greetings).
 * - ja-no-mixed-period: a paragraph ending in 、 that continues after a [click] is not reported,
 *   since the transcript joins the two (prose.ts); the check reports a note ending in 、 instead.
 */
import type { TalkSlide } from '../transcript/model.ts'
import type { Finding } from './types.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter, loadTextlintrc } from 'textlint'
import { repoRoot } from '../paths.ts'
import { sourceColumn } from '../transcript/notes.ts'

export const TEXTLINT_CONFIG = join(repoRoot, '.textlintrc.json')

export interface NotesDocument {
  deck: string
  file: string
  slides: TalkSlide[]
}

/** The notes of one file as a document aligned line for line with the file. */
export function notesDocument(file: string, slides: TalkSlide[]): { text: string, continued: Set<number> } {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).map(() => '')
  // Paragraph ends where the sentence goes on after a click: the transcript joins them.
  const continued = new Set<number>()
  for (const slide of slides) {
    if (slide.file !== file)
      continue
    const ls = slide.clean.lines
    for (const [i, l] of ls.entries()) {
      lines[l.line - 1] = l.text
      const next = ls[i + 1]
      if (/[、，,]$/.test(l.text.trim()) && (!next || !next.text.trim()) && ls.slice(i + 1).some(n => n.text.trim()))
        continued.add(l.line)
    }
  }
  return {
    text: lines.join('\n'),
    continued,
  }
}

type Linter = ReturnType<typeof createLinter>
let linter: Promise<Linter> | undefined

function getLinter(): Promise<Linter> {
  linter ??= loadTextlintrc({
    configFilePath: TEXTLINT_CONFIG,
    node_modulesDir: join(repoRoot, 'node_modules'),
  })
    .then(descriptor => createLinter({ descriptor, cwd: repoRoot }))
  return linter
}

/** 1-based line and column of an offset. */
function position(text: string, offset: number): { line: number, column: number } {
  const before = text.slice(0, offset)
  const nl = before.lastIndexOf('\n')
  return { line: (before.match(/\n/g)?.length ?? 0) + 1, column: offset - nl }
}

export async function lintNotes(docs: NotesDocument[]): Promise<Finding[]> {
  const lint = await getLinter()
  const findings: Finding[] = []
  await Promise.all(docs.map(async (doc) => {
    const { text, continued } = notesDocument(doc.file, doc.slides)
    const result = await lint.lintText(text, doc.file)
    const byLine = new Map(doc.slides.flatMap(s => s.clean.lines.filter(() => s.file === doc.file).map(l => [l.line, l] as const)))
    for (const m of result.messages) {
      const rule = m.ruleId.replace(/^(?:preset-)?ja-technical-writing\//, '')
      if (rule === 'ja-no-mixed-period' && continued.has(m.loc.start.line))
        continue
      // Some rules report a column counted from the start of the document: the range is reliable.
      const { line, column } = position(text, m.range[0])
      const noteLine = byLine.get(line)
      findings.push({
        deck: doc.deck,
        file: doc.file,
        line,
        column: noteLine
          ? sourceColumn(noteLine, column)
          : column,
        severity: m.severity === 2
          ? 'error'
          : 'warning',
        rule: `textlint/${rule}`,
        // The first paragraph says it; the rest is a tutorial.
        message: m.message.split(/\n\s*\n/)[0]!.replace(/\s*\n\s*/g, ' ').trim(),
      })
    }
  }))
  return findings
}
