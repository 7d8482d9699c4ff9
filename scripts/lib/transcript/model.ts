/**
 * A deck read as a talk: its slides in presentation order (as Slidev numbers them: hidden and
 * disabled slides left out, `src:` imports followed), each with its cleaned notes as prose, and
 * grouped into sections by the section slides.
 */
import type { Deck } from '../decks.ts'
import type { SpeakingRate } from '../pace/plan.ts'
import type { CleanNote } from './notes.ts'
import type { Block } from './prose.ts'
import { load } from '@slidev/parser/fs'
import { loadDeckSource } from '../decks.ts'
import { calibrate } from '../pace/rehearsal.ts'
import { readRehearsals, usableRehearsals } from '../pace/store.ts'
import { cleanNote, noteStartLine } from './notes.ts'
import { countChars, inlinePlain, parseProse } from './prose.ts'

export interface TalkSlide {
  /** 1-based number, as in the deck's URL (`/<slug>/<no>`). */
  no: number
  title: string
  layout: string
  section: boolean
  file: string
  /** 1-based line where the slide starts in `file`. */
  line: number
  /** 1-based line of its first heading, when it has one. */
  headingLine?: number
  /** The note as written (undefined when the slide has none). */
  note?: string
  /** 1-based line of the note's first line in `file`. */
  noteLine?: number
  clean: CleanNote
  prose: Block[]
  /** The slide's Markdown body (notes and frontmatter removed) and its frontmatter, for the checker. */
  content: string
  frontmatter: Record<string, unknown>
  /** 1-based line after the slide's frontmatter in `file`. */
  contentLine: number
  /** 1-based last line of the slide in `file`. */
  endLine: number
}

export interface TalkSection {
  /** Undefined for the opening (title and agenda slides before the first section). */
  title?: string
  slides: TalkSlide[]
}

export interface Talk {
  deck: Deck
  slides: TalkSlide[]
  sections: TalkSection[]
  chars: number
  /** Speaking time of the notes at `rate`. */
  minutes: number
  /** The speaker's rate: calibrated from the deck's rehearsals when there are any, else the default. */
  rate: SpeakingRate
  /** Rehearsal files left out, in part or whole (broken JSON, slides the deck no longer has). */
  rateMessages: string[]
}

export function isSectionSlide(frontmatter: Record<string, unknown>): boolean {
  return frontmatter.layout === 'section'
}

/** The slides of a deck folder in presentation order, whether or not its metadata is valid. */
export async function loadSlides(entry: string, dir: string, readSource: (file: string) => Promise<string> = loadDeckSource): Promise<{ slides: TalkSlide[], errors: { line: number, file: string, message: string }[] }> {
  const data = await load({
    userRoot: dir,
    roots: [dir],
  }, entry, readSource)
  const slides = data.slides.map((s, i): TalkSlide => {
    const src = s.source
    const noteLine = noteStartLine(src.raw, src.start, s.note)
    const clean = cleanNote(s.note, noteLine ?? 1)
    const title = inlinePlain(String(s.title ?? ''))
    return {
      no: i + 1,
      title,
      layout: String(s.frontmatter.layout ?? (i === 0
        ? 'cover'
        : 'default')),
      section: isSectionSlide(s.frontmatter),
      file: src.filepath,
      line: src.start + 1,
      headingLine: headingLine(src.raw, src.start, src.contentStart),
      note: s.note,
      noteLine,
      clean,
      prose: parseProse(clean.markdown),
      content: s.content,
      frontmatter: s.frontmatter,
      contentLine: src.contentStart + 1,
      endLine: src.end,
    }
  })
  const errors = Object.values(data.markdownFiles).flatMap(md => (md.errors ?? []).map(e => ({ file: md.filepath, line: e.row + 1, message: e.message })))
  return { slides, errors }
}

/** Line of the slide's first heading, for findings about its title (outside code fences). */
function headingLine(raw: string, start: number, contentStart: number): number | undefined {
  const lines = raw.split('\n')
  let fence = false
  for (let i = Math.max(0, contentStart - start); i < lines.length; i++) {
    const l = lines[i]!
    if (/^\s*(?:`{3,}|~{3,})/.test(l))
      fence = !fence
    else if (!fence && /^#{1,6}\s/.test(l))
      return start + i + 1
  }
  return undefined
}

export async function loadTalk(deck: Deck): Promise<Talk> {
  const { slides } = await loadSlides(deck.entry, deck.dir)
  const sections: TalkSection[] = []
  for (const slide of slides) {
    if (slide.section || !sections.length) {
      sections.push({
        title: slide.section ? slide.title : undefined,
        slides: [],
      })
    }
    sections[sections.length - 1]!.slides.push(slide)
  }
  const chars = slides.reduce((n, s) => n + countChars(s.prose), 0)
  const { rehearsals, messages } = usableRehearsals(readRehearsals(deck.dir, slides.length))
  const rate = calibrate(rehearsals)
  return {
    deck,
    slides,
    sections,
    chars,
    minutes: chars / rate.charsPerMinute,
    rate,
    rateMessages: messages,
  }
}

/** "1 分 300 字" or "リハーサル 3 回から測った 1 分 317 字": the rate and where it comes from. */
export function rateLabel(rate: SpeakingRate): string {
  const perMinute = `1 分 ${Math.round(rate.charsPerMinute)} 字`
  return rate.source === 'rehearsals'
    ? `リハーサル ${rate.rehearsals} 回から測った ${perMinute}`
    : perMinute
}

/** "約 32 分（9,512 字を 1 分 300 字で換算）", with the calibrated rate once there are rehearsals. */
export function speakingTime(talk: Talk): { minutes: number, label: string, slot: number, diff: number } {
  const minutes = Math.round(talk.minutes)
  const slot = talk.deck.meta.talk.slot
  const sep = talk.rate.source === 'rehearsals'
    ? '、'
    : ' '
  return {
    minutes,
    slot,
    diff: minutes - slot,
    label: `約 ${minutes} 分（${talk.chars.toLocaleString('en-US')} 字を${sep}${rateLabel(talk.rate)}で換算）`,
  }
}
