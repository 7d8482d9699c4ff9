/**
 * What the metadata's links become on each target: Docswell and YouTube URLs recognised the way
 * Zenn's renderer recognises them, so `@[docswell](…)` and `@[youtube](…)` are only written for
 * URLs Zenn will actually embed.
 */
import type { Talk } from '../meta.ts'
import config from '../../../toolkit.config.ts'
import { formatJapaneseDate } from '../meta.ts'

const DOCSWELL_PAGE = /^https:\/\/www\.docswell\.com\/s\/[\w-]+\/([a-z0-9]+)(?:-[\w-]*)?(?:\/\d+)?(?:#p\d+)?$/i
const DOCSWELL_EMBED = /^https:\/\/www\.docswell\.com\/slide\/[\w-]+\/embed(?:#p\d+)?$/

/** Docswell's embed URL for a slide page URL (https://www.docswell.com/s/<user>/<id>-<name>). */
export function docswellEmbedUrl(url: string): string | undefined {
  if (DOCSWELL_EMBED.test(url))
    return url
  const id = url.match(DOCSWELL_PAGE)?.[1]
  return id
    ? `https://www.docswell.com/slide/${id}/embed`
    : undefined
}

/**
 * The Docswell URL of page `n` (`…#p12`) of a deck whose Docswell URL is known; the PDF on Docswell
 * has one page per slide, so page n is slide n. Undefined for a URL that is not Docswell's.
 */
export function docswellPageUrl(url: string, n: number): string | undefined {
  if (!DOCSWELL_PAGE.test(url) && !DOCSWELL_EMBED.test(url))
    return undefined
  const page = url.replace(/#p\d+$/, '').replace(/^(https:\/\/www\.docswell\.com\/s\/[\w-]+\/[\w-]+)\/\d+$/i, '$1')
  return `${page}#p${n}`
}

/** The 11-character video id of a YouTube URL (watch, youtu.be, live, embed, shorts). */
export function youtubeId(url: string): string | undefined {
  let u: URL
  try {
    u = new URL(url)
  }
  catch {
    return undefined
  }
  const host = u.hostname.replace(/^(?:www|m)\./, '')
  let id: string | null | undefined
  if (host === 'youtu.be') {
    id = u.pathname.split('/')[1]
  }
  else if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
    id = u.pathname === '/watch'
      ? u.searchParams.get('v')
      : u.pathname.match(/^\/(?:live|embed|shorts)\/([^/]+)/)?.[1]
  }
  return id && /^[\w-]{11}$/.test(id)
    ? id
    : undefined
}

/** "2024年9月20日" / "2023年9月", with a note when the date is not confirmed. */
export function dateLabel(talk: Talk): string {
  const date = formatJapaneseDate(talk.date)
  const status = talk.dateStatus === 'inferred'
    ? '、日付は推定'
    : talk.dateStatus === 'unconfirmed'
      ? '、日付は未確認'
      : ''
  return `${date}${status}`
}

export function speakerName(talk: Talk): string {
  return config.speakers[talk.speaker]?.name ?? talk.speaker
}

/** Absolute URL of the hosted deck when the site's URL is known. */
export function hostedDeckUrl(slug: string, base: string, siteUrl?: string): string | undefined {
  if (!siteUrl)
    return undefined
  const b = `/${base.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/')
  return `${siteUrl.replace(/\/+$/, '')}${b}${slug}/`
}
