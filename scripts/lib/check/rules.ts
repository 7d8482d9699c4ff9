/**
 * Static rules over a deck's slides: what every talk deck must satisfy (notes on every slide, a
 * section slide followed by content) and the heading and metadata problems visible without a browser.
 */
import type { Headmatter } from '../meta.ts'
import type { TalkSlide } from '../transcript/model.ts'
import type { Finding } from './types.ts'
import { docswellEmbedUrl, youtubeId } from '../transcript/links.ts'
import { endsMidSentence } from '../transcript/prose.ts'

type Emit = (f: Omit<Finding, 'deck'>) => void

function name(slide: TalkSlide): string {
  return slide.title
    ? `slide ${slide.no} 「${slide.title}」`
    : `slide ${slide.no}`
}

/** Every slide has notes, and the notes have words for the transcript (not only reminders or click markers). */
export function checkNotes(slides: TalkSlide[], emit: Emit): void {
  for (const s of slides) {
    if (!s.note?.trim()) {
      emit({
        file: s.file,
        line: s.headingLine ?? s.line,
        severity: 'error',
        rule: 'notes/missing',
        message: `${name(s)} has no speaker notes: add the spoken script as an HTML comment <!-- … --> at the end of the slide`,
      })
      continue
    }
    if (!s.prose.length) {
      emit({
        file: s.file,
        line: s.noteLine,
        severity: 'error',
        rule: 'notes/empty',
        message: `${name(s)}: the notes hold only presenter-only lines or click markers, nothing for the transcript`,
      })
      continue
    }
    if (endsMidSentence(s.prose[s.prose.length - 1])) {
      const last = [...s.clean.lines].reverse().find(l => l.text.trim())
      emit({
        file: s.file,
        line: last?.line,
        severity: 'warning',
        rule: 'notes/unfinished',
        message: `${name(s)}: the notes end mid-sentence (with a comma); the transcript paragraph will stop there`,
      })
    }
  }
}

/** A section slide opens a section: content must follow, not another section and not the end. */
export function checkSections(slides: TalkSlide[], emit: Emit): void {
  const seen = new Map<string, TalkSlide>()
  for (const [i, s] of slides.entries()) {
    if (!s.section)
      continue
    const next = slides[i + 1]
    if (!next) {
      emit({
        file: s.file,
        line: s.headingLine ?? s.line,
        severity: 'error',
        rule: 'sections/empty',
        message: `${name(s)} is a section slide at the end of the deck: a section needs content after it`,
      })
    }
    else if (next.section) {
      emit({
        file: s.file,
        line: s.headingLine ?? s.line,
        severity: 'error',
        rule: 'sections/empty',
        message: `${name(s)} is followed by another section slide (${next.no}) with no content in between`,
      })
    }
    if (s.title) {
      const first = seen.get(s.title)
      if (first) {
        emit({
          file: s.file,
          line: s.headingLine ?? s.line,
          severity: 'warning',
          rule: 'sections/duplicate',
          message: `${name(s)} repeats the title of section slide ${first.no}: the transcript will have two identical headings`,
        })
      }
      else {
        seen.set(s.title, s)
      }
    }
  }
}

const PAIRS: [string, string][] = [
  ['「', '」'],
  ['『', '』'],
  ['（', '）'],
  ['(', ')'],
  ['【', '】'],
  ['[', ']'],
]

/** Display width in full-width characters (half-width counts one half). */
export function displayWidth(text: string): number {
  let w = 0
  for (const ch of text) {
    w += /[\u0020-\u007E\uFF61-\uFF9F]/.test(ch)
      ? 0.5
      : 1
  }
  return w
}

/** Above this a title takes three or more lines at the theme's heading size. */
export const MAX_TITLE_WIDTH = 36

export function checkHeadings(slides: TalkSlide[], emit: Emit): void {
  for (const s of slides) {
    const line = s.headingLine ?? s.line
    if (!s.title) {
      emit({
        file: s.file,
        line,
        severity: s.section ? 'error' : 'warning',
        rule: 'headings/missing',
        message: s.section
          ? `section slide ${s.no} has no heading: the transcript needs it as the section's title`
          : `slide ${s.no} has no heading: the transcript page can only call it "スライド ${s.no}"`,
      })
      continue
    }
    for (const [open, close] of PAIRS) {
      if (s.title.split(open).length !== s.title.split(close).length) {
        emit({
          file: s.file,
          line,
          severity: 'error',
          rule: 'headings/brackets',
          message: `${name(s)}: unbalanced ${open}${close} in the heading`,
        })
      }
    }
    if (/[。．]$/.test(s.title)) {
      emit({
        file: s.file,
        line,
        severity: 'warning',
        rule: 'headings/period',
        message: `${name(s)}: a heading does not end with 。`,
      })
    }
    if (/\*\*|__|\]\(|<\/?[a-z]/i.test(s.title)) {
      emit({
        file: s.file,
        line,
        severity: 'warning',
        rule: 'headings/markup',
        message: `${name(s)}: Markdown or HTML left in the heading text`,
      })
    }
    if (displayWidth(s.title) > MAX_TITLE_WIDTH) {
      emit({
        file: s.file,
        line,
        severity: 'warning',
        rule: 'headings/length',
        message: `${name(s)}: the heading is ${Math.ceil(displayWidth(s.title))} characters wide (over ${MAX_TITLE_WIDTH}); it will take three lines or more`,
      })
    }
  }
}

/** Links the transcript embeds: warn when a URL is not of the form Zenn and Hatena embed. */
export function checkLinks(meta: Headmatter, file: string, lineOf: (field: string) => number | undefined, emit: Emit): void {
  const { docswell, video } = meta.talk.links
  if (docswell && !docswellEmbedUrl(docswell)) {
    emit({
      file,
      line: lineOf('talk.links.docswell'),
      severity: 'warning',
      rule: 'meta/links',
      message: `talk.links.docswell is not a Docswell slide URL (https://www.docswell.com/s/<user>/<id>-<name>): the blog posts will show a plain link instead of the embedded slides`,
    })
  }
  if (video && !youtubeId(video)) {
    emit({
      file,
      line: lineOf('talk.links.video'),
      severity: 'warning',
      rule: 'meta/links',
      message: `talk.links.video is not a YouTube URL: the blog posts will show a plain link instead of the embedded video`,
    })
  }
}
