/**
 * Finishes a built deck's index.html for the public site: the deck's language, a social card
 * (Open Graph and Twitter) whose image is the first slide, and the deep-link restore script.
 * Slidev writes `lang="en"` and its own og tags (with "- Slidev" in the title); those are replaced.
 */
import type { Deck } from '../decks.ts'
import type { SiteOptions } from './options.ts'
import { RESTORE_SCRIPT } from './fallbacks.ts'
import { escapeHtml, plainText } from './html.ts'
import { deckPaths } from './index-page.ts'
import { siteHref } from './options.ts'

export interface SocialCard {
  title: string
  description: string
  /** Page URL: absolute when the site URL is known, else the path. */
  url: string
  image: string
  imageWidth: number
  imageHeight: number
  lang: string
  siteName: string
}

export const OG_WIDTH = 1200
export const OG_HEIGHT = 675

export function socialCard(deck: Deck, site: SiteOptions): SocialCard {
  const p = deckPaths(deck.slug)
  const info = typeof deck.meta.info === 'string'
    ? deck.meta.info
    : ''
  return {
    title: deck.meta.title,
    description: plainText(deck.meta.talk.description ?? info ?? '', 200)
      || `${deck.meta.talk.event.name} での発表資料`,
    url: siteHref(site, p.slides),
    image: siteHref(site, p.og),
    imageWidth: OG_WIDTH,
    imageHeight: OG_HEIGHT,
    lang: deck.meta.talk.lang,
    siteName: site.title,
  }
}

export function socialTags(card: SocialCard): string {
  const meta = (attr: 'name' | 'property', key: string, value: string) =>
    `<meta ${attr}="${key}" content="${escapeHtml(value)}">`
  return [
    meta('name', 'description', card.description),
    meta('property', 'og:type', 'website'),
    meta('property', 'og:site_name', card.siteName),
    meta('property', 'og:title', card.title),
    meta('property', 'og:description', card.description),
    meta('property', 'og:url', card.url),
    meta('property', 'og:image', card.image),
    meta('property', 'og:image:width', String(card.imageWidth)),
    meta('property', 'og:image:height', String(card.imageHeight)),
    meta('property', 'og:image:alt', card.title),
    meta('property', 'og:locale', card.lang === 'ja'
      ? 'ja_JP'
      : card.lang.replace('-', '_')),
    meta('name', 'twitter:card', 'summary_large_image'),
    meta('name', 'twitter:title', card.title),
    meta('name', 'twitter:description', card.description),
    meta('name', 'twitter:image', card.image),
    /^https?:/.test(card.url)
      ? `<link rel="canonical" href="${escapeHtml(card.url)}">`
      : '',
  ].filter(Boolean).join('\n')
}

/** Rewrites the head of a Slidev-built index.html. */
export function finishDeckHtml(html: string, card: SocialCard): string {
  let out = html
    .replace(/<html([^>]*?)\slang="[^"]*"/, '<html$1')
    .replace(/<html/, `<html lang="${escapeHtml(card.lang)}"`)
    .replace(/<meta\s+(?:name|property)="(?:description|og:[^"]+|twitter:[^"]+)"[^>]*>\s*/g, '')
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(card.title)}</title>`)
  const head = `<script>${RESTORE_SCRIPT}</script>\n${socialTags(card)}\n`
  out = out.replace(/<meta charset="utf-8">\s*/i, m => `${m}${head}`)
  if (!out.includes(RESTORE_SCRIPT))
    out = out.replace(/<head>/i, `<head>\n${head}`)
  return out
}
