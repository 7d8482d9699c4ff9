/**
 * The speaker's house style, as data: what the footer, the title-slide signature and the section
 * counter show. Pure functions (no Slidev, no DOM) so the components stay thin and the rules are
 * tested without a browser. Kept free of zod and Node so it costs the slides nothing to import.
 */
import type { Speaker } from '../toolkit.config.ts'

/** The part of a deck's `talk:` headmatter the theme reads (already validated by scripts/lib/meta.ts). */
export interface TalkLike {
  date?: string
  dateStatus?: string
  lang?: string
  speaker?: string
  event?: { name?: string, hashtag?: string | null }
}

/** The part of a Slidev slide route the theme reads. */
export interface SlideLike {
  no: number
  meta?: { slide?: { frontmatter?: Record<string, unknown> } }
}

/** Japanese date of a talk: 2024年9月20日, or 2023年9月 when only the month is known. */
export function formatJapaneseDate(date: string): string {
  const [y, m, d] = date.split('-').map(n => Number.parseInt(n, 10))
  return d
    ? `${y}年${m}月${d}日`
    : `${y}年${m}月`
}

/** The date as the audience reads it, saying so when it is not confirmed (same words as the site's index). */
export function talkDateLabel(talk: TalkLike): string {
  if (!talk.date)
    return ''
  const ja = (talk.lang ?? 'ja') === 'ja'
  const date = ja
    ? formatJapaneseDate(talk.date)
    : talk.date
  if (talk.dateStatus === 'inferred') {
    return ja
      ? `${date}(推定)`
      : `${date} (inferred)`
  }
  if (talk.dateStatus === 'unconfirmed') {
    return ja
      ? `${date}(日付未確定)`
      : `${date} (unconfirmed)`
  }
  return date
}

/** "Aki @nekoruri": the speaker's display name and handle, as they sign their decks. */
export function speakerSignature(key: string | undefined, speakers: Record<string, Speaker>): { name: string, handle: string } | undefined {
  const s = key ? speakers[key] : undefined
  return s
    ? { name: s.name, handle: `@${s.handle}` }
    : undefined
}

/** What the footer of a slide shows; undefined where the slide has no footer (the cover). */
export function footerParts(talk: TalkLike | undefined, layout: unknown, page: number, total: number): { event: string, hashtag?: string, page: string } | undefined {
  if (layout === 'cover' || !talk?.event?.name)
    return undefined
  return {
    event: talk.event.name,
    hashtag: talk.event.hashtag || undefined,
    page: total > 0
      ? `${page} / ${total}`
      : String(page),
  }
}

/** Where a section slide sits among the deck's sections: section `index` of `total` (1-based). */
export function sectionPosition(slides: readonly SlideLike[], page: number): { index: number, total: number } | undefined {
  const sections = slides.filter(s => s.meta?.slide?.frontmatter?.layout === 'section').map(s => s.no)
  const i = sections.indexOf(page)
  return i < 0
    ? undefined
    : { index: i + 1, total: sections.length }
}
