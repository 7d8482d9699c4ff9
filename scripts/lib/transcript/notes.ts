/**
 * Speaker notes as the transcript sees them: presenter-only lines dropped, Slidev click markers
 * removed, every remaining line still tied to its line in slides.md so findings can point there.
 */

/** Slidev's click markers inside notes: `[click]`, `[click:3]` (and relative `[click:+1]`). */
export const CLICK_MARKER = /\[click(?::[+-]?\d+)?\]/gi

/** A note line starting with `// ` (or a bare `//`) is a reminder for the presenter only. */
export const PRESENTER_ONLY = /^\s*\/\/(?:\s|$)/

export interface NoteLine {
  /** 1-based line in the source file. */
  line: number
  /** The line as it should reach the transcript (markers removed); '' for dropped lines. */
  text: string
  /** The line as written. */
  raw: string
  presenterOnly: boolean
  /** Characters removed before each column of `text`, to map a column back to `raw`. */
  removed: { at: number, length: number }[]
}

export interface CleanNote {
  lines: NoteLine[]
  /** Markdown of the transcript text (dropped lines become blank lines, so paragraphs stay apart). */
  markdown: string
}

/**
 * Where the note starts in the file: the parser gives the slide's raw text and first line; the
 * note is the last HTML comment of that text, trimmed.
 */
export function noteStartLine(raw: string, slideStart: number, note: string | undefined): number | undefined {
  if (!note)
    return undefined
  const open = raw.lastIndexOf('<!--')
  if (open < 0)
    return undefined
  const inner = raw.slice(open + 4)
  const lead = inner.length - inner.trimStart().length
  const before = raw.slice(0, open + 4 + lead)
  return slideStart + 1 + (before.match(/\n/g)?.length ?? 0)
}

/** Splits a note into lines, dropping presenter-only lines (outside code fences) and click markers. */
export function cleanNote(note: string | undefined, firstLine = 1): CleanNote {
  const lines: NoteLine[] = []
  if (!note)
    return { lines, markdown: '' }
  let fence: string | undefined
  for (const [i, raw] of note.split(/\r?\n/).entries()) {
    const line = firstLine + i
    const fenceMatch = raw.match(/^\s*(`{3,}|~{3,})/)
    if (fence) {
      if (fenceMatch && fenceMatch[1]!.startsWith(fence))
        fence = undefined
      lines.push({
        line,
        text: raw,
        raw,
        presenterOnly: false,
        removed: [],
      })
      continue
    }
    if (fenceMatch) {
      fence = fenceMatch[1]
      lines.push({
        line,
        text: raw,
        raw,
        presenterOnly: false,
        removed: [],
      })
      continue
    }
    if (PRESENTER_ONLY.test(raw)) {
      lines.push({
        line,
        text: '',
        raw,
        presenterOnly: true,
        removed: [],
      })
      continue
    }
    const removed: { at: number, length: number }[] = []
    let text = ''
    let last = 0
    for (const m of raw.matchAll(new RegExp(`${CLICK_MARKER.source}[ \\t\\u3000]*`, 'gi'))) {
      text += raw.slice(last, m.index)
      removed.push({ at: text.length, length: m[0].length })
      last = m.index + m[0].length
    }
    text += raw.slice(last)
    lines.push({
      line,
      // A marker alone on a line leaves nothing; a line of only whitespace is a paragraph break.
      text: text.trim()
        ? text.replace(/\s+$/, '')
        : '',
      raw,
      presenterOnly: false,
      removed,
    })
  }
  return {
    lines,
    markdown: lines.map(l => l.text).join('\n').trim(),
  }
}

/** Maps a 1-based column of a cleaned line back to the column in the source line. */
export function sourceColumn(line: NoteLine, column: number): number {
  let shift = 0
  for (const r of line.removed) {
    if (r.at < column)
      shift += r.length
  }
  return column + shift
}
